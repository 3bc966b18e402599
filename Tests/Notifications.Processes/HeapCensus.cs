using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Runtime;

namespace Notifications.Processes;

/// <summary>
/// Counts the live objects of given types in another process's managed heap, from a dump the runtime writes of itself
/// (as dotnet-dump does): what a leak check asks when it wants to know which objects stayed, not only how many bytes.
/// </summary>
public static class HeapCensus
{
    private const string DacFileName = "libmscordaccore.so";

    public static IReadOnlyDictionary<string, int> Take(int processId, IReadOnlyCollection<string> typeNames)
    {
        var path = Path.Combine(Path.GetTempPath(), $"aspirenotify-census-{processId}-{Guid.NewGuid():N}.dmp");
        try
        {
            new DiagnosticsClient(processId).WriteDump(DumpType.WithHeap, path);
            using var target = DataTarget.LoadDump(path);
            var clr = target.ClrVersions[0];
            // The replica runs on this machine, so its runtime's own DAC sits beside it; there is no symbol server here. That
            // file is the match by construction, while this ClrMD cannot read the version of a .NET 10 runtime from a dump.
            using var runtime = clr.CreateRuntime(Path.Combine(Path.GetDirectoryName(clr.ModuleInfo.FileName)!, DacFileName), ignoreMismatch: true);
            var counts = typeNames.ToDictionary(name => name, _ => 0, StringComparer.Ordinal);
            foreach (var value in runtime.Heap.EnumerateObjects())
            {
                if (value.Type?.Name is { } name && counts.TryGetValue(name, out var count))
                {
                    counts[name] = count + 1;
                }
            }

            return counts;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
