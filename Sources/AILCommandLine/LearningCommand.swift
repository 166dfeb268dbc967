import ArgumentParser
import Foundation

/// `ail learning …`: what the engine learns from the recorded sessions.
public struct Learning: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "learning",
        abstract: "Learn from the recorded sessions: generate ranked insights.",
        subcommands: [GenerateInsights.self]
    )
    public init() {}
}
