import ArgumentParser
import Foundation
import Statistics

/// `ail forecast …`: `ail forecast --data FILE.csv` (the default subcommand, `series`) forecasts
/// any series; `ail forecast satisfaction` forecasts developer satisfaction from the database.
/// Two subcommands rather than options on one command, so that their options never compete.
public struct ForecastGroup: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "forecast",
        abstract: "Forecast a series from a CSV file (the default) or developer satisfaction from the database.",
        subcommands: [Forecast.self, ForecastSatisfaction.self],
        defaultSubcommand: Forecast.self
    )
    public init() {}
}

/// `ail forecast --data FILE.csv …`: exponential-smoothing (ETS) forecasts of any series, with
/// prediction intervals.
public struct Forecast: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "series",
        abstract: "Forecast a time series from a CSV file with exponential smoothing (ETS) and prediction intervals.",
        discussion: """
        Fits an ETS(error, trend, season) model by maximum likelihood (smoothing parameters and \
        initial states) and forecasts --horizon steps with prediction intervals: exact for the \
        additive-error linear models, from 5,000 seeded simulated paths otherwise. --model auto \
        (the default) fits every model the data allow and keeps the one with the lowest AICc. \
        Codes: error A|M, trend N|A|Ad, season N|A|M, e.g. ANN (simple exponential smoothing), \
        AAN (Holt), AAdN, AAA (additive Holt–Winters), MAM (multiplicative season). \
        --alpha/--beta/--gamma/--phi fix smoothing parameters (--beta is Holt's trend smoothing, \
        statsmodels' smoothing_trend); --init FILE fixes the initial states, from JSON \
        {"level": 126.7, "trend": 1.08, "seasonal": [-14.7, …]} (one seasonal value per period \
        position, the first for the first row). Rows are sorted by --time, which takes months \
        (1949-01) or timestamps read as UTC (2026-03-01, 2026-03-01 14:00); future times step by \
        the last interval.

        Examples:
          ail forecast --data airpassengers.csv --time month --value passengers \\
              --period 12 --horizon 12
          ail forecast --data airpassengers.csv --time month --value passengers \\
              --period 12 --horizon 12 --model AAA --alpha 0.2 --beta 0.1 --gamma 0.3 \\
              --init init.json --level 80,95 --format json
        """
    )

    @Option(help: "CSV file with a header row.") var data: String
    @Option(help: "Column of times: 1949-01 months or timestamps (read as UTC).") var time: String
    @Option(help: "Column of the values to forecast.") var value: String
    @Option(help: "Seasonal period (12 for monthly data with a yearly cycle; 1 for none).") var period: Int
    @Option(help: "How many steps ahead to forecast.") var horizon: Int
    @Option(help: "auto, or an ETS code such as ANN, AAN, AAdN, ANA, AAA, AAdA, MNM, MAM.") var model: String = "auto"
    @Option(help: "Fix the level smoothing α in [0, 1].") var alpha: Double?
    @Option(help: "Fix Holt's trend smoothing β* in [0, 1] (statsmodels' smoothing_trend).") var beta: Double?
    @Option(help: "Fix the seasonal smoothing γ in [0, 1].") var gamma: Double?
    @Option(help: "Fix the trend damping φ in (0, 1].") var phi: Double?
    @Option(name: .customLong("init"), help: ArgumentHelp("JSON file with the initial level, trend and seasonal states.", valueName: "FILE"))
    var initFile: String?
    @Option(help: ArgumentHelp("Prediction interval levels in percent, comma-separated.", valueName: "80,95")) var level: String = "80,95"
    @OptionGroup var output: FormatOption

    public init() {}

    public func validate() throws {
        guard period >= 1 else { throw ValidationError("--period must be at least 1; got \(period)") }
        guard horizon >= 1, horizon <= 100_000 else { throw ValidationError("--horizon must be between 1 and 100000; got \(horizon)") }
        guard model.lowercased() == "auto" || ETSSpec(code: model) != nil else {
            throw ValidationError("--model must be auto or an ETS code (error A|M, trend N|A|Ad, season N|A|M, e.g. AAdA); got '\(model)'")
        }
        _ = try levels()
    }

    func levels() throws -> [Double] {
        let values = level.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ $0.map { $0 > 0 && $0 < 100 } ?? false }) else {
            throw ValidationError("--level takes percentages strictly between 0 and 100, comma-separated (e.g. 80,95); got '\(level)'")
        }
        return values.compactMap { $0.map { $0 / 100 } }
    }

    public func run() throws {
        let report = try makeReport()
        if output.format == .json { try JSONOutput.print(report) } else { print(report.text) }
    }

    /// Reads the data, fits or selects the model and forecasts.
    func makeReport() throws -> ForecastReport {
        let series = try ForecastSeries.read(path: data, time: time, value: value)
        var fixed = ETSFixedValues(alpha: alpha, beta: beta, gamma: gamma, phi: phi)
        if let initFile { fixed.initialState = try ForecastSeries.initialState(path: initFile) }
        let fits: [ETSFit]
        if let spec = ETSSpec(code: model) {
            fits = [try ETS.fit(series.values, spec: spec, period: period, fixed: fixed)]
        } else {
            fits = try ETS.select(series.values, period: period, fixed: fixed)
        }
        let fit = fits[0]
        let forecast = try fit.forecast(horizon: horizon, levels: try levels())
        return ForecastReport(fit: fit, forecast: forecast, series: series, candidates: fits.count)
    }
}

/// The series read from the CSV: values in time order.
struct ForecastSeries {
    let times: [ForecastTime]
    let values: [Double]

    static func read(path: String, time: String, value: String) throws -> ForecastSeries {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
        let frame = try bytes.withUnsafeBytes { raw in
            try DataFrame(csvBytes: raw.bindMemory(to: UInt8.self), types: [time: .text])
        }
        let timeColumn = try frame.column(named: time), valueColumn = try frame.column(named: value)
        var rows: [(ForecastTime, Double)] = []
        for row in 0..<frame.rowCount {
            let line = row + frame.rowNumberBase
            guard let text = timeColumn.text(at: row), let t = ForecastTime.parse(text) else {
                throw InputError("\(path) line \(line): --time column '\(time)' has '\(timeColumn.text(at: row) ?? "")', not a month (1949-01) or a timestamp (2026-03-01 14:00)")
            }
            guard let text = valueColumn.text(at: row), let v = Double(text), v.isFinite else {
                throw InputError("\(path) line \(line): --value column '\(value)' has '\(valueColumn.text(at: row) ?? "")', not a finite number (a missing value cannot be forecast through)")
            }
            rows.append((t, v))
        }
        guard let first = rows.first else { throw InputError("\(path): no rows") }
        guard rows.allSatisfy({ $0.0.isMonth == first.0.isMonth }) else {
            throw InputError("\(path): --time column '\(time)' mixes months and timestamps")
        }
        rows.sort { $0.0 < $1.0 }
        for (a, b) in zip(rows, rows.dropFirst()) where a.0 == b.0 {
            throw InputError("\(path): --time column '\(time)' has \(a.0.text) twice; give one value per time")
        }
        return ForecastSeries(times: rows.map(\.0), values: rows.map(\.1))
    }

    private struct InitialStateFile: Decodable {
        var level: Double
        var trend: Double?
        var seasonal: [Double]?
    }

    static func initialState(path: String) throws -> ETSState {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        do {
            let file = try JSONDecoder().decode(InitialStateFile.self, from: data)
            return ETSState(level: file.level, trend: file.trend ?? 0, seasonal: file.seasonal ?? [])
        } catch {
            throw InputError("--init \(path): expected a JSON object {\"level\": number, \"trend\": number, \"seasonal\": [numbers]} (trend and seasonal when the model has them): \(error)")
        }
    }

    /// The times of the next `horizon` steps.
    func futureTimes(_ horizon: Int) -> [String] {
        guard let last = times.last else { return [] }
        guard times.count >= 2 else { return (1...horizon).map { "+\($0)" } }
        let previous = times[times.count - 2]
        return (1...horizon).map { last.advanced(by: $0, from: previous).text }
    }
}
