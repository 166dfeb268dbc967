// ail-bench: benchmarks run by `make bench`. Each section compares ail with a peer tool in the
// same run and prints the ratio.
let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "numerics":
    do { try runNumericsBenchmark(arguments: Array(arguments.dropFirst())) } catch {
        print("numerics benchmark failed: \(error)")
    }
default:
    print("usage: ail-bench SECTION (sections: numerics)")
}
