import ArgumentParser
import Foundation
import Statistics

/// `ail fairness …`: `ail fairness --data FILE.csv` (the default subcommand, `audit`) measures any
/// table of outcomes and predictions; `ail fairness report` is the engine's own report on the
/// database. Two subcommands, so that their `--group` options never compete.
public struct FairnessGroup: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "fairness",
        abstract: "Fairness metrics of a classifier from a CSV file (the default), or the bias and fairness report on the database.",
        subcommands: [Fairness.self, FairnessReportCommand.self],
        defaultSubcommand: Fairness.self
    )
    public init() {}
}

/// `ail fairness --data FILE.csv …`: fairness metrics of any table of outcomes and predictions.
public struct Fairness: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Fairness metrics of a classifier from a CSV file, or the bias and fairness report on the database.",
        discussion: """
        With --data: per group selection rate, TPR, FPR, FNR, PPV, base rate and accuracy; \
        demographic-parity and equalized-odds differences and ratios (fairlearn's definitions: the \
        equalized-odds difference is max(|ΔTPR|, |ΔFPR|) over the most different groups); with \
        --score, calibration per score bin and group; with --resamples N (default 1000, 0 for \
        none), percentile confidence intervals from a bootstrap stratified by group and seeded by \
        --seed. Labels and predictions are 0/1 or true/false; rows missing the group, label or \
        prediction are skipped and counted.

        Examples:
          ail fairness --data compas.csv --group race --label two_year_recid \\
              --prediction high_risk --score decile_score
          ail fairness report --group cohort --format json
        """
    )

    @Option(help: "CSV file with a header row.") var data: String
    @Option(help: "Column naming each row's group.") var group: String
    @Option(help: "Column of the true outcome (0/1 or true/false).") var label: String
    @Option(help: "Column of the classifier's prediction (0/1 or true/false).") var prediction: String
    @Option(help: "Column of the score behind the prediction (a probability or an ordered score), for calibration.") var score: String?
    @Option(help: "Bootstrap resamples for the confidence intervals (0 for none).") var resamples: Int = 1000
    @Option(help: "Seed of the bootstrap.") var seed: UInt64 = 1
    @Option(help: "Confidence level in percent.") var level: Double = 95
    @OptionGroup var output: FormatOption

    public init() {}

    public func validate() throws {
        guard resamples >= 0, resamples <= 1_000_000 else { throw ValidationError("--resamples must be between 0 and 1000000; got \(resamples)") }
        guard level > 0, level < 100 else { throw ValidationError("--level must be a percentage strictly between 0 and 100; got \(level)") }
    }

    public func run() throws {
        let report = try makeReport()
        if output.format == .json { try JSONOutput.print(report) } else { print(report.text) }
    }

    /// Reads the CSV and audits it.
    func makeReport() throws -> FairnessAuditReport {
        let bytes: Data
        do { bytes = try Data(contentsOf: URL(fileURLWithPath: data), options: .mappedIfSafe) } catch {
            throw InputError("cannot read --data \(data): \(FileManager.default.fileExists(atPath: data) ? "not readable" : "no such file")")
        }
        let frame = try bytes.withUnsafeBytes { raw in
            try DataFrame(csvBytes: raw.bindMemory(to: UInt8.self), types: [group: .text])
        }
        let table = try FairnessTable(frame: frame, group: group, label: label, prediction: prediction, score: score, source: data)
        let audit = try FairnessAudit.audit(groups: table.groups, labels: table.labels, predictions: table.predictions, scores: table.scores,
                                            resamples: resamples, level: level / 100, seed: seed)
        return FairnessAuditReport(audit, rows: table.groups.count, skipped: table.skipped)
    }
}

/// Group, label, prediction (and score) columns of a frame as parallel arrays; rows missing any
/// of them are skipped and counted, a value that is not 0/1 (or a finite score) is refused with
/// its line.
struct FairnessTable {
    var groups: [String] = [], labels: [Double] = [], predictions: [Double] = []
    var scores: [Double]?
    var skipped = 0

    init(frame: DataFrame, group: String, label: String, prediction: String, score: String?, source: String) throws {
        let g = try frame.column(named: group), y = try frame.column(named: label), p = try frame.column(named: prediction)
        let s = try score.map { try frame.column(named: $0) }
        if s != nil { scores = [] }
        for row in 0..<frame.rowCount {
            let line = row + frame.rowNumberBase
            guard let name = g.text(at: row), let yText = y.text(at: row), let pText = p.text(at: row) else { skipped += 1; continue }
            guard let yValue = Self.binary(yText) else {
                throw InputError("\(source) line \(line): --label column '\(label)' has '\(yText)'; expected 0/1 or true/false")
            }
            guard let pValue = Self.binary(pText) else {
                throw InputError("\(source) line \(line): --prediction column '\(prediction)' has '\(pText)'; expected 0/1 or true/false")
            }
            if let s {
                guard let text = s.text(at: row) else { skipped += 1; continue }
                guard let value = Double(text), value.isFinite else {
                    throw InputError("\(source) line \(line): --score column '\(score ?? "")' has '\(text)'; expected a finite number")
                }
                scores?.append(value)
            }
            groups.append(name); labels.append(yValue); predictions.append(pValue)
        }
        guard !groups.isEmpty else { throw InputError("\(source): no row has a group, a label and a prediction") }
    }

    static func binary(_ text: String) -> Double? {
        switch text.lowercased() {
        case "1", "1.0", "true", "t", "yes": return 1
        case "0", "0.0", "false", "f", "no": return 0
        default: return nil
        }
    }
}
