import ArgumentParser
import Foundation
import Statistics

/// `ail mine …`: pattern mining on files.
public struct Mine: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "mine",
        abstract: "Find patterns in data: frequent itemsets and association rules.",
        subcommands: [MineItemsets.self]
    )
    public init() {}
}

/// `ail mine itemsets`: FP-Growth over a FIMI transaction file.
struct MineItemsets: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "itemsets",
        abstract: "Frequent itemsets (FP-Growth) and association rules from a FIMI transaction file.",
        discussion: """
        The file has one transaction per line, items as non-negative integer ids separated by \
        spaces or tabs (the FIMI format, e.g. mushroom.dat). A blank line is an empty transaction: \
        it counts toward N. A repeated item counts once. Any other token is refused with its line \
        (exit 65). Support is count / N; an itemset is frequent when support >= S, i.e. \
        count >= ceil(S*N) (as mlxtend), or when count >= --min-count.

        --target closed keeps itemsets with no superset of equal count, maximal those with no \
        frequent superset (both judged among all frequent itemsets, before --min-length and \
        --max-length filter what is shown). --rules adds rules X -> Y with support, confidence \
        and lift (rules come from all frequent itemsets up to --max-length).

        Text output: counts by itemset length, then the top itemsets by support (ties: shorter \
        first, then by ids). --format json lists every selected itemset (and rule) unless --top \
        is given.

        Examples:
          ail mine itemsets --data mushroom.dat --min-support 0.3
          ail mine itemsets --data mushroom.dat --min-support 0.5 --target closed --format json
          ail mine itemsets --data baskets.dat --min-count 20 --rules --min-confidence 0.8 --top 10
        """
    )

    @Option(help: "Transaction file in FIMI format (one transaction per line, item ids separated by spaces).")
    var data: String
    @Option(help: ArgumentHelp("Least support, a fraction of transactions in (0, 1].", valueName: "S"))
    var minSupport: Double?
    @Option(help: ArgumentHelp("Least count instead of --min-support.", valueName: "N"))
    var minCount: Int?
    @Option(help: "Which itemsets: all, closed or maximal.")
    var target: String = "all"
    @Option(help: "Show only itemsets with at least this many items.")
    var minLength: Int = 1
    @Option(help: "Show only itemsets with at most this many items (also limits the search).")
    var maxLength: Int?
    @Flag(help: "Also derive association rules X -> Y.")
    var rules = false
    @Option(help: ArgumentHelp("Least confidence of a rule, in [0, 1].", valueName: "C"))
    var minConfidence: Double = 0.8
    @Option(help: ArgumentHelp("Show at most N itemsets (and N rules); text shows 20 by default, JSON all.", valueName: "N"))
    var top: Int?
    @OptionGroup var output: FormatOption

    func validate() throws {
        switch (minSupport, minCount) {
        case (nil, nil), (.some, .some):
            throw ValidationError("give exactly one of --min-support S (a fraction in (0, 1]) or --min-count N")
        case (let s?, nil):
            guard s.isFinite, s > 0, s <= 1 else { throw ValidationError("--min-support must be a fraction in (0, 1]; got \(s)") }
        case (nil, let c?):
            guard c >= 1 else { throw ValidationError("--min-count must be at least 1; got \(c)") }
        }
        guard ItemsetTarget(rawValue: target) != nil else { throw ValidationError("--target must be all, closed or maximal; got '\(target)'") }
        guard minLength >= 1 else { throw ValidationError("--min-length must be at least 1; got \(minLength)") }
        if let maxLength, maxLength < minLength {
            throw ValidationError("--max-length (\(maxLength)) must be at least --min-length (\(minLength))")
        }
        guard minConfidence.isFinite, minConfidence >= 0, minConfidence <= 1 else {
            throw ValidationError("--min-confidence must be in [0, 1]; got \(minConfidence)")
        }
        if let top, top < 1 { throw ValidationError("--top must be at least 1; got \(top)") }
    }

    func run() throws {
        let result = try report()
        if output.format == .json {
            try JSONOutput.print(result.json(top: top))
        } else {
            print(result.text(top: top ?? 20))
        }
    }

    /// Reads, mines and selects: everything the output shows.
    func report() throws -> MineReport {
        let clock = ContinuousClock()
        let started = clock.now
        let bytes = try Data(contentsOf: URL(fileURLWithPath: data))
        let transactions = try bytes.withUnsafeBytes { try FIMIReader.parse($0.bindMemory(to: UInt8.self)) }
        let selected = ItemsetTarget(rawValue: target) ?? .all
        let support: MinimumSupport = minCount.map { .count($0) } ?? .fraction(minSupport ?? 1)
        // closed and maximal are judged among all frequent itemsets, so only `all` may stop early
        let mined = try FPGrowth(minimumSupport: support, maxLength: selected == .all ? maxLength : nil).mine(transactions)
        let miningSeconds = Self.seconds(clock.now - started)
        let chosen = mined.selecting(selected)
        let shown = chosen.filtered { chosen.length($0) >= minLength && chosen.length($0) <= (maxLength ?? Int.max) }
        var ruleList: [AssociationRule] = []
        if rules {
            let base = maxLength.map { limit in mined.filtered { mined.length($0) <= limit } } ?? mined
            ruleList = try base.associationRules(minConfidence: minConfidence)
            ruleList.sort { a, b in
                if a.confidence != b.confidence { return a.confidence > b.confidence }
                if a.lift != b.lift { return a.lift > b.lift }
                if a.count != b.count { return a.count > b.count }
                return (a.antecedent + [-1] + a.consequent).lexicographicallyPrecedes(b.antecedent + [-1] + b.consequent)
            }
        }
        return MineReport(file: data, transactions: transactions, itemsets: shown, target: selected, minSupport: minSupport,
                          rules: rules ? ruleList : nil, miningSeconds: miningSeconds)
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
