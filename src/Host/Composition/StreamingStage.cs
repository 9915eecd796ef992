namespace ListeningTogether.Host.Composition;

/// <summary>Which part of the pipeline a process runs (DESIGN.md "Scale-out"); <see cref="All"/> is every stage in memory.</summary>
internal enum StreamingStage
{
    All,
    Ingest,
    Match,
    Site,
}
