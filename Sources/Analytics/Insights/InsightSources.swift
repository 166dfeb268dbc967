/// The finding sources a run uses. New sources (forecasts, fairness) are added here; every one
/// joins the run's single Benjamini–Hochberg family.
public enum InsightSources {
    public static var all: [FindingSource] { [AdjustedEffectsSource(), PatternFindingSource(), AnomalyFindingSource()] }
}
