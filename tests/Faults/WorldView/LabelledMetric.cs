using System.Globalization;

namespace ListeningTogether.Faults.Tests.WorldView;

/// <summary>The samples of one Prometheus metric that carry a given label, e.g. <c>lt_plays_total</c> with <c>reason="late"</c>.</summary>
public static class LabelledMetric
{
    public static async Task<double> SumAsync(Uri stage, string name, string label)
    {
        using var http = new HttpClient { BaseAddress = stage, Timeout = TimeSpan.FromSeconds(10) };
        string text = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        return text.Split('\n')
            .Where(line => line.StartsWith(name + "{", StringComparison.Ordinal) && line.Contains(label, StringComparison.Ordinal))
            .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }
}
