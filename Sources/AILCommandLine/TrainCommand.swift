import ArgumentParser
import Analytics
import Foundation
import Statistics

/// `ail train MODEL | --all [--by COLUMN]`: train prediction models from PostgreSQL and register them.
public struct Train: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a prediction model from the database and register it (champion rule: not worse by more than 1%).",
        discussion: """
        Models: \(ModelCatalog.all.map(\.name).joined(separator: ", ")). Each runs its feature query \
        (`ail models show NAME` prints it), trains on the earliest 80% of the data window and \
        evaluates on the latest 20% against a baseline (the training base rate or mean), with \
        standard errors clustered by developer (30 or more developers) or else by session. Features \
        that are missing, constant or single-level are dropped and listed, never filled with zero. \
        The version is stored in the database and written to --models-dir; it becomes champion \
        only if its held-out log-loss (classifiers) or RMSE (linear) is not worse than the \
        champion's on the same rows by more than 1%. With --by, one model per group is fitted \
        and shown side by side (not registered).

        Examples:
          ail train --all
          ail train tool_failure --format json
          ail train code_acceptance --by language
        """)

    @Argument(help: "The model to train.") var model: String?
    @Flag(help: "Train every model.") var all = false
    @Option(help: ArgumentHelp("Fit one model per value of this column of the feature query.", valueName: "COLUMN")) var by: String?
    @Option(help: ArgumentHelp("Only rows from this date or time on.", valueName: "DATE")) var since: String?
    @Option(help: ArgumentHelp("Only rows before this date or time.", valueName: "DATE")) var until: String?
    @Option(help: "Share of the window (by time) to train on; the rest evaluates.") var trainFraction: Double = 0.8
    @Option(help: ArgumentHelp("Leave a feature out (repeatable).", valueName: "FEATURE")) var without: [String] = []
    @OptionGroup var registry: RegistryOptions
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: FormatOption

    public init() {}

    public func validate() throws {
        guard (model != nil) != all else { throw ValidationError("name one model (\(ModelCatalog.all.map(\.name).joined(separator: ", "))) or give --all") }
        guard trainFraction > 0, trainFraction < 1 else { throw ValidationError("--train-fraction must be between 0 and 1 (exclusive); got \(trainFraction)") }
        if let model { _ = try catalogSpec(model) }
        _ = try options()
    }

    func options() throws -> TrainingOptions {
        var o = TrainingOptions()
        o.trainFraction = trainFraction
        o.since = try since.map { try parseTime($0, option: "--since") }
        o.until = try until.map { try parseTime($0, option: "--until") }
        o.excludedFeatures = Set(without)
        return o
    }

    public func run() throws {
        let specs = try model.map { [try catalogSpec($0)] } ?? ModelCatalog.all
        let connection = try database.connect()
        let options = try options()
        for s in specs {
            if let f = without.first(where: { w in !s.features.contains { $0.name == w } }) {
                throw ValidationError("--without \(f): \(s.name) has no feature '\(f)'; its features: \(s.features.map(\.name).joined(separator: ", "))")
            }
        }
        if let by {
            var out: [[String: Any]] = []
            for s in specs {
                let groups = try GroupedTraining.train(s, by: by, connection: connection, options: options)
                if output.format == .json { out.append(TrainReport.groupsJSON(s, by: by, groups)) } else { print(TrainReport.groupsText(s, by: by, groups)) }
            }
            if output.format == .json { print(try JSONOutput.text(["grouped": out], pretty: true)) }
            return
        }
        let reg = ModelRegistry(connection: connection, directory: registry.directory)
        var results: [[String: Any]] = []
        var failures = 0
        for s in specs {
            do {
                let outcome = try ModelTraining.trainAndRegister(s, registry: reg, options: options)
                if output.format == .json { results.append(TrainReport.json(outcome)) } else { print(TrainReport.text(outcome)) }
            } catch let e as ModelsError where all {
                failures += 1
                if output.format == .json { results.append(["model": s.name, "error": e.message]) } else { print("\(s.name): not trained: \(e.message)\n") }
            } catch let e as NumericsError where all {
                failures += 1
                if output.format == .json { results.append(["model": s.name, "error": "\(e)"]) } else { print("\(s.name): not trained: \(e)\n") }
            }
        }
        if output.format == .json { print(try JSONOutput.text(["models": results], pretty: true)) }
        if failures == specs.count { throw InputError("no model could be trained") }
    }
}

/// The spec of a catalog model, or a usage error listing the models.
func catalogSpec(_ name: String) throws -> ModelSpec {
    do { return try ModelCatalog.spec(named: name) } catch let e as ModelsError { throw ValidationError(e.message) }
}
