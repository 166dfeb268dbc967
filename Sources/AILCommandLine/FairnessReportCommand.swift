import Analytics
import ArgumentParser
import Foundation
import Primitives
import Statistics

/// `ail fairness report`: the bias and fairness report on the database.
struct FairnessReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Compare outcomes and classifier errors across groups of developers or work, raw and adjusted for task mix.",
        discussion: """
        Groups (--group): a session tag key (tags `key:value`; the simulator writes `cohort:NAME`), \
        a key of the session context, task_type, or language (code generations only). Default: \
        cohort when sessions carry cohort tags, else task_type. Developers appear only as their \
        stored pseudonymous ids, as clusters.

        Outcomes: interaction success, acceptance of code generations, session rating \
        (satisfaction), response time (latency), and learning events applied and applied \
        successfully. Per group: rate or mean with a 95% interval. Per group against the largest: \
        the raw contrast (regression on the group alone) and the adjusted one (one regression on \
        the group plus task type, interaction/generation type and language, pooled across them: \
        logistic for 0/1 outcomes, log odds ratios; linear otherwise, differences of means), both \
        with standard errors clustered by developer and Benjamini–Hochberg q-values over all \
        contrasts in the report. A raw difference that vanishes after adjustment is explained by \
        the task mix.

        Classifiers: the acceptance and success models, fitted here on the earliest 70% of rows \
        (the group is not a feature) and audited on the rest: per group selection rate, TPR, FPR, \
        FNR, PPV, calibration, and demographic-parity and equalized-odds gaps with stratified \
        bootstrap intervals. With --model NAME the classifier audited is instead the registry \
        champion of NAME (ail train NAME; success, code_acceptance — or acceptance —, \
        tool_failure, satisfaction_high), scored on its evaluation window and later rows, the rows \
        it was not fitted on.

        Examples:
          ail fairness report
          ail fairness report --group task_type --since 2026-02-01 --format json
          ail fairness report --model success
        """
    )

    @Option(help: "Grouping: a session tag key, a session context key, task_type or language.") var group: String?
    @Option(help: ArgumentHelp("Only sessions started at or after this UTC date or time.", valueName: "YYYY-MM-DD")) var since: String?
    @Option(help: ArgumentHelp("Audit the registry champion of this model instead of fitting the classifiers in-process.", valueName: "NAME")) var model: String?
    @Option(help: "Probability at or above which a classifier predicts 1.") var threshold: Double = 0.5
    @Option(help: "Bootstrap resamples for the classifier disparities.") var resamples: Int = 1000
    @Option(help: "Seed of the bootstrap.") var seed: UInt64 = 1
    @Option(help: "False discovery rate at which a difference is called significant.") var fdr: Double = 0.05
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: FormatOption

    func validate() throws {
        guard threshold > 0, threshold < 1 else { throw ValidationError("--threshold must lie strictly between 0 and 1; got \(threshold)") }
        guard resamples >= 0, resamples <= 100_000 else { throw ValidationError("--resamples must be between 0 and 100000; got \(resamples)") }
        guard fdr > 0, fdr < 1 else { throw ValidationError("--fdr must lie strictly between 0 and 1; got \(fdr)") }
        if let since, TimestampText.seconds(rfc3339: since.count == 10 ? since + "T00:00:00Z" : since) == nil {
            throw ValidationError("--since must be a date YYYY-MM-DD or an RFC 3339 time; got '\(since)'")
        }
    }

    func run() throws {
        let report = try makeReport()
        if output.format == .json { try JSONOutput.print(report) } else { print(report.text) }
    }

    func makeReport() throws -> FairnessDatabaseReport {
        let connection = try database.connect()
        let sinceTime = since.map { $0.count == 10 ? $0 + "T00:00:00Z" : $0 }
        do {
            let report = try FairnessReport.make(connection, group: group, since: sinceTime, model: model.map { .registry($0) } ?? .inProcess,
                                                 threshold: threshold, resamples: resamples, seed: seed, alpha: fdr)
            return FairnessDatabaseReport(report)
        } catch let error as FairnessReportError {
            throw InputError(error.description)
        }
    }
}
