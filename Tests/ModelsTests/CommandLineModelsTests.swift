import Foundation
import Store
import Testing
import TestSupport
@testable import Analytics

extension RegistryTests {
    /// `ail train`, `models`, `predict` and `recommend-tool` end to end through the built binary.
    @Test func commandsEndToEnd() throws {
        let (c, data) = try Self.fresh()
        let ail = try #require(PackagePaths.ailExecutable, "build the ail product first (swift build --build-tests builds it)")
        let folder = try SimulatedData.temporaryModelsFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var environment = ProcessInfo.processInfo.environment
        for name in ["DATABASE_URL", "GEMATRIA_DSN"] { environment.removeValue(forKey: name) }
        func run(_ arguments: [String]) throws -> ChildProcess.Result {
            try ChildProcess.run([ail.path] + arguments + ["--dsn", data.db.dsn], environment: environment, allowFailure: true)
        }
        func json(_ r: ChildProcess.Result) throws -> [String: Any] {
            let text = r.output[(r.output.firstIndex(of: "{") ?? r.output.startIndex)...]
            return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(r.output)")
        }

        let trained = try run(["train", "tool_failure", "--models-dir", folder.path, "--format", "json"])
        #expect(trained.status == 0, "\(trained.output)")
        let first = try #require((try json(trained)["models"] as? [[String: Any]])?.first)
        #expect(first["promoted"] as? Bool == true)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("tool_failure/1.json").path))

        let worse = try run(["train", "tool_failure", "--without", "tool_name", "--models-dir", folder.path])
        #expect(worse.status == 0 && worse.output.contains("saved but not promoted"), "\(worse.output)")

        let listed = try run(["models", "list", "--format", "json"])
        let versions = try #require(try JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [[String: Any]], "\(listed.output)")
        #expect(versions.count == 2 && versions.filter { $0["is_champion"] as? Bool == true }.count == 1)

        let input = #"{"tool_name": "brand_new_tool", "task_type": "bugfix", "parameter_count": 1, "recent_failures": 0, "ctx_open_files": 1, "ctx_git_status": 0, "ctx_recent_changes": 0, "ctx_diagnostics": true}"#
        let predicted = try json(try run(["predict", "tool_failure", "--input", input, "--format", "json"]))
        let champion = try ModelRegistry(connection: c, directory: nil).artifact("tool_failure", version: 1)
        let expected = try champion.predict(FeatureValues(text: ["tool_name": "brand_new_tool", "task_type": "bugfix"],
                                                          numbers: ["parameter_count": 1, "recent_failures": 0, "ctx_open_files": 1,
                                                                    "ctx_git_status": 0, "ctx_recent_changes": 0, "ctx_diagnostics": 1]))
        #expect(predicted["value"] as? Double == expected.value)
        #expect(predicted["unseen_levels"] as? [String] == ["tool_name=brand_new_tool"])

        let bad = try run(["predict", "tool_failure", "--input", #"{"tool_name": 3}"#])
        #expect(bad.status == 65 && bad.output.contains("'tool_name' must be text"), "\(bad.output)")
        let unknown = try run(["predict", "tool_failure", "--input", #"{"colour": "red"}"#])
        #expect(unknown.status == 65 && unknown.output.contains("'colour' is not a feature"), "\(unknown.output)")
        let noModel = try run(["train", "no_such_model"])
        #expect(noModel.status == 64 && noModel.output.contains("the models are"), "\(noModel.output)")

        let imported = try run(["models", "import", folder.appendingPathComponent("tool_failure/1.json").path, "--models-dir", folder.path])
        #expect(imported.status == 0 && imported.output.contains("version 3"), "\(imported.output)")
        let diff = try run(["models", "diff", "tool_failure", "1", "3"])
        #expect(diff.status == 0 && diff.output.contains("same feature query"), "\(diff.output)")

        let show = try run(["models", "show", "tool_failure"])
        #expect(show.status == 0 && show.output.contains("feature query (sha256 \(ModelCatalog.toolFailure.queryChecksum)"), "\(show.output)")
        #expect(show.output.contains("drift ("))

        let recommended = try json(try run(["recommend-tool", "--task", "bugfix", "--top", "3", "--format", "json"]))
        #expect((recommended["tools"] as? [[String: Any]])?.count == 3)
        // a task type the training data never had is refused (usage, 64) with the known types,
        // which are the task types of the training window's tool calls
        let trainedTasks = try c.execute("""
            SELECT DISTINCT s.task_type FROM tool_usage_analytics t JOIN ai_sessions s USING (session_id)
             WHERE t.created_at < $1::timestamptz AND s.task_type IS NOT NULL ORDER BY 1
            """, [.text(champion.window.evaluationStart)]).compactMap { $0.text(0) }
        #expect(trainedTasks.count >= 2)
        let noTask = try run(["recommend-tool", "--task", "nosuchtask"])
        #expect(noTask.status == 64 && noTask.output.contains("--task: 'nosuchtask' was never seen in the training data")
                && noTask.output.contains("the known task types are: \(trainedTasks.joined(separator: ", "))"), "\(noTask.output)")
        let noKey = try run(["recommend-tool", "--task", "bugfix", "--context", #"{"ctx_diagnostics": 1, "ctx_colour": 1}"#, "--format", "json"])
        let failure = try #require(try json(noKey)["error"] as? [String: Any], "\(noKey.output)")
        #expect(noKey.status == 64 && failure["exit_code"] as? Int == 64, "\(noKey.output)")
        #expect((failure["message"] as? String ?? "").contains("--context: 'ctx_colour' is not a context feature of tool_failure; the known keys are: ")
                && (failure["message"] as? String ?? "").contains("ctx_diagnostics"), "\(noKey.output)")
        let textValue = try run(["recommend-tool", "--task", "bugfix", "--context", #"{"ctx_diagnostics": "yes"}"#])
        #expect(textValue.status == 65 && textValue.output.contains("--context: 'ctx_diagnostics' must be a number"), "\(textValue.output)")

        let grouped = try run(["train", "code_acceptance", "--by", "language"])
        #expect(grouped.status == 0 && grouped.output.contains("code_acceptance by language: 4 groups"), "\(grouped.output)")
    }
}
