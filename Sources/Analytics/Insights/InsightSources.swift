/// The finding sources a run uses, each one line; every one joins the run's single
/// Benjamini–Hochberg family. Error templates on the rise come from PatternFindingSource (the
/// pattern run's Poisson trend tests).
public enum InsightSources {
    public static var all: [FindingSource] { [
        AdjustedEffectsSource(), PatternFindingSource(), AnomalyFindingSource(),
        FairnessFindingSource(),
        ForecastFindingSource(),
        ModelDriftFindingSource(),
    ] }
}
