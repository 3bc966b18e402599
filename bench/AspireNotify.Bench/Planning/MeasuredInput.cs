namespace AspireNotify.Bench.Planning;

/// <summary>
/// One input of the capacity model as the plan used it: from <see cref="Source"/> (a bench JSON run), or, when no run
/// measured it, the documented <see cref="Fallback"/> figure of docs/scaling.md that <see cref="Source"/> then cites.
/// </summary>
public sealed record MeasuredInput(string What, double Value, string Unit, string Source, bool Fallback);
