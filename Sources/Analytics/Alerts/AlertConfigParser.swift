import Foundation
import Yams

/// Reads an alerts config from YAML (Yams' node tree, so every refusal names its line): unknown
/// keys, wrong types, out-of-range values and YAML syntax errors are all ``AlertConfigError``s.
/// A section left out is not evaluated; `{}` evaluates nothing.
public enum AlertConfigParser {
    public static func parse(_ text: String) throws -> AlertConfig {
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch let error as YamlError {
            throw syntaxError(error)
        } catch {
            throw AlertConfigError(line: nil, "not readable as YAML: \(error)")
        }
        guard let root else { throw AlertConfigError(line: 1, "the file is empty; write `{}` to evaluate nothing") }
        let top = try mapping(root, "the top level", keys: ["tool_success_rate", "p95_latency", "satisfaction", "learning_application_rate", "anomalies"])
        var config = AlertConfig()
        if let n = top["tool_success_rate"] {
            let m = try mapping(n, "tool_success_rate", keys: ["minimum", "tools", "severity", "window_days"])
            config.toolSuccessRate = .init(defaultMinimum: try proportion(m, "minimum", in: "tool_success_rate", required: n),
                                           perTool: try perTool(m["tools"], "tool_success_rate.tools", proportions: true),
                                           severity: try severity(m, "severity", in: "tool_success_rate", default: .high),
                                           windowDays: try days(m, in: "tool_success_rate"))
        }
        if let n = top["p95_latency"] {
            let m = try mapping(n, "p95_latency", keys: ["maximum_ms", "tools", "severity", "window_days"])
            config.p95Latency = .init(defaultMaximumMs: try positive(m, "maximum_ms", in: "p95_latency", required: n),
                                      perTool: try perTool(m["tools"], "p95_latency.tools", proportions: false),
                                      severity: try severity(m, "severity", in: "p95_latency", default: .medium),
                                      windowDays: try days(m, in: "p95_latency"))
        }
        if let n = top["satisfaction"] {
            let m = try mapping(n, "satisfaction", keys: ["minimum", "severity", "window_days"])
            let minimum = try number(required(m, "minimum", in: "satisfaction", n), "satisfaction.minimum")
            guard (1...5).contains(minimum) else { throw AlertConfigError(line: line(m["minimum"]), "satisfaction.minimum must be a mean rating between 1 and 5; got \(minimum)") }
            config.satisfaction = .init(minimum: minimum, severity: try severity(m, "severity", in: "satisfaction", default: .medium),
                                        windowDays: try days(m, in: "satisfaction"))
        }
        if let n = top["learning_application_rate"] {
            let m = try mapping(n, "learning_application_rate", keys: ["minimum", "severity", "window_days"])
            config.learningApplicationRate = .init(minimum: try proportion(m, "minimum", in: "learning_application_rate", required: n),
                                                   severity: try severity(m, "severity", in: "learning_application_rate", default: .low),
                                                   windowDays: try days(m, in: "learning_application_rate"))
        }
        if let n = top["anomalies"] {
            let m = try mapping(n, "anomalies", keys: ["min_severity", "window_days"])
            config.anomalies = .init(minimumSeverity: try severity(m, "min_severity", in: "anomalies", default: .medium),
                                     windowDays: try days(m, in: "anomalies"))
        }
        return config
    }

    /// Reads and parses `path`; the error names the file too.
    public static func load(path: String) throws -> AlertConfig {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw AlertConfigError(line: nil, "cannot read the file (\(error.localizedDescription))", file: path)
        }
        do { return try parse(text) } catch var error as AlertConfigError {
            error.file = path
            throw error
        }
    }

    // MARK: - node helpers

    static func line(_ node: Node?) -> Int? { node?.mark?.line }

    static func syntaxError(_ error: YamlError) -> AlertConfigError {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            let where_ = context.map { " (\($0.text))" } ?? ""
            return AlertConfigError(line: mark.line, "invalid YAML: \(problem)\(where_) at column \(mark.column)")
        case let .reader(problem, offset, _, _):
            return AlertConfigError(line: nil, "invalid YAML: \(problem)" + (offset.map { " at byte \($0)" } ?? ""))
        default:
            return AlertConfigError(line: nil, "invalid YAML: \(error)")
        }
    }

    /// A mapping with string keys drawn from `keys`, each once.
    static func mapping(_ node: Node, _ name: String, keys: [String]) throws -> [String: Node] {
        guard let m = node.mapping else {
            throw AlertConfigError(line: line(node), "\(name) must be a mapping of keys to values; got \(kind(node))")
        }
        var out: [String: Node] = [:]
        for (k, v) in m {
            guard let key = k.scalar?.string else { throw AlertConfigError(line: line(k), "keys of \(name) must be plain words; got \(kind(k))") }
            guard keys.contains(key) else {
                throw AlertConfigError(line: line(k), "unknown key '\(key)' in \(name); expected one of \(keys.joined(separator: ", "))")
            }
            guard out[key] == nil else { throw AlertConfigError(line: line(k), "key '\(key)' appears twice in \(name)") }
            out[key] = v
        }
        return out
    }

    static func kind(_ node: Node) -> String {
        switch node {
        case .scalar(let s): "the value '\(s.string.prefix(40))'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        }
    }

    static func required(_ m: [String: Node], _ key: String, in section: String, _ parent: Node) throws -> Node {
        guard let n = m[key] else { throw AlertConfigError(line: line(parent), "\(section) needs '\(key)'") }
        return n
    }

    static func number(_ node: Node, _ name: String) throws -> Double {
        guard let s = node.scalar, s.style == .plain || s.style == .any, let v = node.float, v.isFinite else {
            throw AlertConfigError(line: line(node), "\(name) must be a number; got \(kind(node))")
        }
        return v
    }

    static func proportion(_ m: [String: Node], _ key: String, in section: String, required parent: Node) throws -> Double {
        let n = try required(m, key, in: section, parent)
        let v = try number(n, "\(section).\(key)")
        guard (0...1).contains(v) else { throw AlertConfigError(line: line(n), "\(section).\(key) is a share between 0 and 1; got \(v)") }
        return v
    }

    static func positive(_ m: [String: Node], _ key: String, in section: String, required parent: Node) throws -> Double {
        let n = try required(m, key, in: section, parent)
        let v = try number(n, "\(section).\(key)")
        guard v > 0 else { throw AlertConfigError(line: line(n), "\(section).\(key) must be positive; got \(v)") }
        return v
    }

    static func severity(_ m: [String: Node], _ key: String, in section: String, default value: AlertSeverity) throws -> AlertSeverity {
        guard let n = m[key] else { return value }
        guard let word = n.scalar?.string, let s = AlertSeverity(rawValue: word) else {
            throw AlertConfigError(line: line(n), "\(section).\(key) must be low, medium or high; got \(kind(n))")
        }
        return s
    }

    static func days(_ m: [String: Node], in section: String) throws -> Int {
        guard let n = m["window_days"] else { return 7 }
        guard let s = n.scalar, let v = Int(s.string), (1...3650).contains(v) else {
            throw AlertConfigError(line: line(n), "\(section).window_days must be a whole number of days from 1 to 3650; got \(kind(n))")
        }
        return v
    }

    static func perTool(_ node: Node?, _ name: String, proportions: Bool) throws -> [String: Double] {
        guard let node else { return [:] }
        guard let m = node.mapping else { throw AlertConfigError(line: line(node), "\(name) must map tool names to thresholds; got \(kind(node))") }
        var out: [String: Double] = [:]
        for (k, v) in m {
            guard let tool = k.scalar?.string, !tool.isEmpty else { throw AlertConfigError(line: line(k), "\(name) keys must be tool names; got \(kind(k))") }
            guard out[tool] == nil else { throw AlertConfigError(line: line(k), "tool '\(tool)' appears twice in \(name)") }
            let x = try number(v, "\(name).\(tool)")
            if proportions, !(0...1).contains(x) { throw AlertConfigError(line: line(v), "\(name).\(tool) is a share between 0 and 1; got \(x)") }
            if !proportions, x <= 0 { throw AlertConfigError(line: line(v), "\(name).\(tool) must be positive; got \(x)") }
            out[tool] = x
        }
        return out
    }
}
