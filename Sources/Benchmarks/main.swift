// ail-bench: benchmarks run by `make bench`. Each section compares ail with a peer tool in the
// same run and prints the ratio.
let arguments = Array(CommandLine.arguments.dropFirst())
print("usage: ail-bench SECTION (sections are added by the benchmark files)")
