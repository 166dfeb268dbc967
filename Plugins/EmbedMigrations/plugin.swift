import Foundation
import PackagePlugin

/// Build-tool plugin of the Store target: compiles every `migrations/*.sql` file of the package into
/// the binary (`EmbeddedMigrations`), so an installed or copied `ail` migrates a database from any
/// folder, and the embedded copies can never drift from the files (the plugin runs on every build).
@main
struct EmbedMigrationsPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let folder = context.package.directoryURL.appending(path: "migrations")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".sql") }
            .sorted()
        let inputs = names.map { folder.appending(path: $0) }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedMigrationFiles.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(names.count) migrations into \(target.name)",
                executable: try context.tool(named: "embed-migrations").url,
                arguments: [output.path] + inputs.map(\.path),
                inputFiles: inputs,
                outputFiles: [output]),
        ]
    }
}
