import ArgumentParser
import Foundation
import Store
import Tracking

/// `ail simulate`: a realistic workload with planted effects, in the ingest format.
struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Generate a simulated workload (NDJSON) with planted effects, and the truth about them.",
        discussion: """
            Sessions per developer per day (fewer at weekends), tool calls with log-normal latencies, \
            interactions, code generations with accept/reject decisions, context, learning and \
            feedback events. A scenario file (JSON; see scenarios/default.json, every key optional) \
            plants effects: tool failure rates and their dependence on context, odds ratios of \
            acceptance, how satisfaction depends on failures and latency, a latency regression, a \
            satisfaction trend, developer cohorts. The truth (planted effects, JSON) is written next \
            to the data: x.ndjson → x.truth.json. The same seed gives the same bytes.

            Examples:
              ail simulate --developers 40 --days 90 --seed 7 --out workload.ndjson
              ail simulate --seed 7 --load
              ail simulate --print-scenario > my-scenario.json
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: FormatOption
    @Option(help: "Number of developers.") var developers: Int = 40
    @Option(help: "Number of days.") var days: Int = 90
    @Option(help: "Random seed.") var seed: UInt64 = 7
    @Option(help: "Scenario file (JSON); default: the built-in scenario.") var scenario: String?
    @Option(help: "Write NDJSON here (and the truth next to it).") var out: String?
    @Flag(help: "Load the workload into the database (written under AIL_HOME/simulations unless --out is given).") var load = false
    @Flag(name: .customLong("print-scenario"), help: "Print the scenario in use as JSON and exit.") var printScenario = false

    func validate() throws {
        guard developers >= 1 else { throw ValidationError("--developers: out of range (expected at least 1, got \(developers))") }
        guard days >= 1 else { throw ValidationError("--days: out of range (expected at least 1, got \(days))") }
    }

    func run() throws {
        let chosen: Scenario
        do {
            chosen = try scenario.map { path in
                var loaded = try Scenario.load(from: URL(fileURLWithPath: path))
                // A file that does not name itself is named after the file, not "default".
                if loaded.name == Scenario.default.name {
                    loaded.name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
                }
                return loaded
            } ?? .default
        } catch let error as CocoaError {
            throw InputError("--scenario \(scenario ?? ""): cannot read the file (\(error.localizedDescription))")
        } catch {
            throw InputError("--scenario \(scenario ?? ""): \(error)")
        }
        if printScenario {
            print(String(decoding: try chosen.jsonData(), as: UTF8.self))
            return
        }
        let simulator = WorkloadSimulator(scenario: chosen, developers: developers, days: days, seed: seed)
        var target = out.map { URL(fileURLWithPath: $0) }
        if target == nil, load {
            let folder = DataFolder.resolve().appendingPathComponent("simulations")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            target = folder.appendingPathComponent("\(chosen.name)-seed\(seed)-\(developers)x\(days).ndjson")
        }
        guard let target else {
            // Neither --out nor --load: NDJSON to standard output; the truth has no file to sit beside.
            note("ail simulate: NDJSON to standard output; the planted truth is written only with --out FILE (as FILE's .truth.json) or --load")
            var buffer = ""
            try simulator.run { line in
                buffer += line
                buffer += "\n"
                if buffer.utf8.count > 1 << 20 { FileHandle.standardOutput.write(Data(buffer.utf8)); buffer = "" }
            }
            FileHandle.standardOutput.write(Data(buffer.utf8))
            return
        }
        let truth: SimulationTruth
        do {
            truth = try simulator.write(to: target)
        } catch let error as CocoaError {
            throw InputError("--out \(target.path): cannot write the file (\(error.localizedDescription))")
        }
        let events = truth.eventCounts.values.reduce(0, +)
        var summary: IngestSummary?
        if load {
            let connection = try database.connect()
            let loader = EventLoader(connection: connection, pseudonymizer: try Pseudonymizer(dataFolder: DataFolder.resolve()))
            summary = try BatchIngester(loader: loader).ingest(path: target.path)
        }
        if output.format == .json {
            struct Report: Encodable {
                let file: String, truth: String, events: Int, sessions: Int
                let ingest: IngestSummary?
            }
            try JSONOutput.print(Report(file: target.path, truth: WorkloadSimulator.truthURL(for: target).path,
                                        events: events, sessions: truth.sessions, ingest: summary))
        } else {
            print("wrote \(events) events in \(truth.sessions) sessions to \(target.path) (truth: \(WorkloadSimulator.truthURL(for: target).path))")
            if let summary { print(summary.description) }
        }
        if let summary, summary.rejected > 0 { throw ExitCode(65) }
    }
}
