import ArgumentParser

/// The `ail` root command. Each subcommand group lives in a file of its own.
public struct AIL: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "ail",
        abstract: "AI learning & analytics engine: record AI-assisted coding sessions in PostgreSQL and turn them into evidence.",
        subcommands: [Fit.self]
    )
    public init() {}
}
