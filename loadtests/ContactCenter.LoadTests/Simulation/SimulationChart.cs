using System.Globalization;
using System.Net;
using System.Text;

namespace ContactCenter.LoadTests.Simulation;

/// <summary>
/// The report as one self-contained HTML page a person can open anywhere: the headline figures, then line charts
/// (inline SVG, no script) of throughput, acknowledgement latency, the watched processes' memory and CPU, second
/// by second, with the measured window shaded.
/// </summary>
public static class SimulationChart
{
    private const int Width = 960;
    private const int Height = 220;
    private const int Left = 70;
    private const int Bottom = 30;
    private static readonly string[] Colours = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"];

    public static string Html(SimulationReport r)
    {
        var points = r.Timeline;
        var page = new StringBuilder();
        page.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
            .Append(Escape($"Simulation {r.Settings.Label} {r.Settings.RunId}"))
            .Append("</title><style>body{font-family:sans-serif;margin:24px;color:#222}pre{background:#f6f6f6;padding:12px;overflow-x:auto}")
            .Append("h2{font-size:16px;margin:24px 0 4px}svg{background:#fff;border:1px solid #ddd}</style></head><body>");
        page.Append("<h1>").Append(Escape($"Simulation {r.Settings.Label}")).Append("</h1><pre>");
        using (var text = new StringWriter(CultureInfo.InvariantCulture))
        {
            SimulationText.Write(r, text);
            page.Append(Escape(text.ToString().Trim()));
        }

        page.Append("</pre>");
        Chart(page, r, "Throughput (per second)", "events/s",
        [
            ("events happened", points.Select(p => (double)p.EventsHappened)),
            ("events acknowledged", points.Select(p => (double)p.Acknowledged)),
            ("calls started", points.Select(p => (double)p.CallsStarted)),
            ("errors", points.Select(p => (double)p.Errors)),
        ]);
        Chart(page, r, "Acknowledgement latency (ms, events acknowledged in the second)", "ms",
        [
            ("p50", points.Select(p => p.P50)),
            ("p99", points.Select(p => p.P99)),
        ]);
        var processes = r.Processes.Select(p => p.Name).ToList();
        if (processes.Count > 0)
        {
            Chart(page, r, "Resident memory (MB)", "MB",
                [.. processes.Select(name => (name, points.Select(p => p.ResidentMegabytes.GetValueOrDefault(name, double.NaN))))]);
            Chart(page, r, "CPU (cores)", "cores",
                [.. processes.Select(name => (name, points.Select(p => p.CpuCores.GetValueOrDefault(name, double.NaN))))]);
        }

        return page.Append("</body></html>").ToString();
    }

    private static void Chart(StringBuilder page, SimulationReport r, string title, string unit, IReadOnlyList<(string Name, IEnumerable<double> Values)> series)
    {
        var lines = series.Select(s => (s.Name, Values: s.Values.ToArray())).ToList();
        var count = Math.Max(2, lines.Max(l => l.Values.Length));
        var max = lines.SelectMany(l => l.Values).Where(double.IsFinite).DefaultIfEmpty(1).Max();
        max = max <= 0 ? 1 : NiceCeiling(max);
        double X(int second) => Left + (Width - Left - 10) * second / (double)(count - 1);
        double Y(double value) => 10 + (Height - 10 - Bottom) * (1 - value / max);

        page.Append("<h2>").Append(Escape(title)).Append("</h2>")
            .Append(F($"<svg width=\"{Width}\" height=\"{Height + 24}\" viewBox=\"0 0 {Width} {Height + 24}\" role=\"img\" aria-label=\"{Escape(title)}\">"));
        // The measured window, shaded.
        page.Append(F($"<rect x=\"{X(r.MeasuredFromSecond):0.#}\" y=\"10\" width=\"{Math.Max(0, X(Math.Min(r.MeasuredToSecond, count - 1)) - X(r.MeasuredFromSecond)):0.#}\" height=\"{Height - 10 - Bottom}\" fill=\"#eef4fb\"/>"));
        for (var i = 0; i <= 4; i++)
        {
            var value = max * i / 4;
            page.Append(F($"<line x1=\"{Left}\" x2=\"{Width - 10}\" y1=\"{Y(value):0.#}\" y2=\"{Y(value):0.#}\" stroke=\"#ddd\"/>"))
                .Append(F($"<text x=\"{Left - 6}\" y=\"{Y(value) + 4:0.#}\" font-size=\"11\" text-anchor=\"end\">{value:#,0.##}</text>"));
        }

        var step = Math.Max(1, (int)NiceCeiling(count / 10.0));
        for (var second = 0; second < count; second += step)
        {
            page.Append(F($"<text x=\"{X(second):0.#}\" y=\"{Height - Bottom + 16}\" font-size=\"11\" text-anchor=\"middle\">{second} s</text>"));
        }

        page.Append(F($"<text x=\"12\" y=\"{Height / 2}\" font-size=\"11\" transform=\"rotate(-90 12 {Height / 2})\" text-anchor=\"middle\">{Escape(unit)}</text>"));
        for (var i = 0; i < lines.Count; i++)
        {
            var colour = Colours[i % Colours.Length];
            var path = new StringBuilder();
            var drawing = false;
            for (var second = 0; second < lines[i].Values.Length; second++)
            {
                var value = lines[i].Values[second];
                if (!double.IsFinite(value))
                {
                    drawing = false;
                    continue;
                }

                path.Append(F($"{(drawing ? 'L' : 'M')}{X(second):0.#},{Y(value):0.#} "));
                drawing = true;
            }

            page.Append(F($"<path d=\"{path}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.5\"/>"))
                .Append(F($"<rect x=\"{Left + 10 + i * 180}\" y=\"{Height + 6}\" width=\"12\" height=\"12\" fill=\"{colour}\"/>"))
                .Append(F($"<text x=\"{Left + 26 + i * 180}\" y=\"{Height + 16}\" font-size=\"12\">{Escape(lines[i].Name)}</text>"));
        }

        page.Append("</svg>");
    }

    /// <summary>1, 2 or 5 times a power of ten, at least <paramref name="value"/>: round numbers on the axis.</summary>
    private static double NiceCeiling(double value)
    {
        var power = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (var factor in new[] { 1.0, 2, 5, 10 })
        {
            if (factor * power >= value)
            {
                return factor * power;
            }
        }

        return 10 * power;
    }

    private static string Escape(string text) => WebUtility.HtmlEncode(text);

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
