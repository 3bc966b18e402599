using System.Globalization;
using System.Text;

namespace Notifications.Web.Cluster;

/// <summary>Maps times and values onto an SVG drawing area: the x axis is a time window, the y axis 0 to a round maximum.</summary>
public sealed class ChartScale(DateTimeOffset from, DateTimeOffset to, double yMax, double width, double height)
{
    public double YMax { get; } = yMax;

    /// <summary>The smallest 1, 2 or 5 × 10ⁿ at or above <paramref name="value"/>, so the grid lines read as round numbers.</summary>
    public static double NiceMax(double value, double floor = 1)
    {
        var target = Math.Max(value, floor);
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(target)));
        foreach (var step in new[] { 1.0, 2.0, 5.0, 10.0 })
        {
            if (step * magnitude >= target * (1 - 1e-12))
            {
                return step * magnitude;
            }
        }

        return 10 * magnitude;
    }

    public double X(DateTimeOffset at) =>
        Math.Clamp((at - from) / (to - from), 0, 1) * width;

    public double Y(double value) => height - (Math.Clamp(value / YMax, 0, 1) * height);

    /// <summary>An SVG path through the points in the window (those outside it are left out).</summary>
    public string Path(IEnumerable<ChartPoint> points)
    {
        var path = new StringBuilder();
        foreach (var point in points.Where(point => point.At >= from && point.At <= to))
        {
            path.Append(path.Length == 0 ? 'M' : 'L')
                .Append(Format(X(point.At))).Append(' ').Append(Format(Y(point.Value))).Append(' ');
        }

        return path.ToString().TrimEnd();
    }

    public static string Format(double value) => Math.Round(value, 1).ToString(CultureInfo.InvariantCulture);
}
