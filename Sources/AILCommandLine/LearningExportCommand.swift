import ArgumentParser
import Foundation
import Reporting
import Store

/// The options of `ail learning export` (and its seed alias `export_learning_data`).
struct LearningExportOptions: ParsableArguments {
    @Option(help: "Folder to write the CSV files, data_dictionary.csv and manifest.json into.")
    var out: String = "notebooks-data"
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: FormatOption

    func run() throws {
        let connection = try database.connect()
        let folder = URL(fileURLWithPath: out, isDirectory: true)
        let manifest = try LearningExport(connection).run(into: folder)
        if output.format == .json {
            print(try JSONOutput.text(manifest))
        } else {
            for table in manifest.tables {
                print(table.table.padding(toLength: max(28, table.table.count), withPad: " ", startingAt: 0)
                      + String(String(table.rows).reversed()).padding(toLength: 10, withPad: " ", startingAt: 0).reversed()
                      + " rows  " + table.file)
            }
            print("wrote \(manifest.tables.count) tables, data_dictionary.csv and manifest.json (row counts, SHA-256) to \(folder.standardizedFileURL.path)")
        }
    }
}

/// `ail learning export`.
struct LearningExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export every data table as CSV with a data dictionary and a checksummed manifest.",
        discussion: """
        One CSV per table (RFC 4180 quoting, header row, NULL as an empty unquoted field), read in \
        one consistent snapshot; data_dictionary.csv with every column's type and comment; \
        manifest.json with row counts and SHA-256 checksums. Check a copy with: sha256sum FILE.

        Example:
          ail learning export --out notebooks-data/
        """)
    @OptionGroup var options: LearningExportOptions
    func run() throws { try options.run() }
}

/// `ail export_learning_data`: the seed's name for `ail learning export` (hidden).
struct ExportLearningDataAlias: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export_learning_data", abstract: "Same as `ail learning export`.", shouldDisplay: false)
    @OptionGroup var options: LearningExportOptions
    func run() throws { try options.run() }
}
