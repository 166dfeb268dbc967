/// The version of the ail engine: printed by `ail --version` and stored with what the engine
/// writes (model artifacts, reports) so a result can be traced to the code that made it.
public enum EngineVersion {
    public static let current = "0.5.0"
}
