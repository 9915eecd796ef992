namespace ListeningTogether.Simulator;

/// <summary>
/// Draws the city of a play: by population, modulated by the daily rhythm at each city's local time. Cities are
/// grouped by approximate UTC offset, so a draw weighs 25 groups (re-weighed once a minute), then picks by
/// population inside the group. Mutable (the weights of the current minute); one per generator.
/// </summary>
internal sealed class CityPicker
{
    private const long MsPerMinute = 60_000;
    private const int Offsets = 25; // UTC-12 .. UTC+12

    private readonly int[][] _cities = new int[Offsets][];
    private readonly double[][] _cumulative = new double[Offsets][];
    private readonly double[] _population = new double[Offsets];
    private readonly double[] _groupCumulative = new double[Offsets];
    private long _minute = long.MinValue;

    public CityPicker(ListenerCities cities)
    {
        var groups = Enumerable.Range(0, cities.Cities.Count)
            .GroupBy(i => DailyRhythm.UtcOffsetHours(cities.Cities[i].Lon) + 12)
            .ToDictionary(g => g.Key, g => g.ToArray());
        for (int g = 0; g < Offsets; g++)
        {
            _cities[g] = groups.GetValueOrDefault(g, []);
            _cumulative[g] = new double[_cities[g].Length];
            double sum = 0;
            for (int i = 0; i < _cities[g].Length; i++)
            {
                sum += cities.Cities[_cities[g][i]].Population;
                _cumulative[g][i] = sum;
            }

            _population[g] = sum;
        }
    }

    /// <summary>The index (in <see cref="ListenerCities.Cities"/>) of a city for a play at <paramref name="utcMs"/>.</summary>
    public int Pick(long utcMs, SimulatorRandom random)
    {
        long minute = Math.DivRem(utcMs, MsPerMinute, out long rest) - (rest < 0 ? 1 : 0);
        if (minute != _minute)
        {
            Reweigh(minute * MsPerMinute);
            _minute = minute;
        }

        double u = random.NextDouble() * _groupCumulative[Offsets - 1];
        int group = 0;
        while (group < Offsets - 1 && (_groupCumulative[group] <= u || _cities[group].Length == 0))
        {
            group++;
        }

        double[] cumulative = _cumulative[group];
        int index = Array.BinarySearch(cumulative, random.NextDouble() * _population[group]);
        index = index < 0 ? ~index : index + 1;
        return _cities[group][Math.Min(index, cumulative.Length - 1)];
    }

    private void Reweigh(long utcMs)
    {
        double sum = 0;
        for (int g = 0; g < Offsets; g++)
        {
            sum += _population[g] * DailyRhythm.Activity(utcMs, g - 12);
            _groupCumulative[g] = sum;
        }
    }
}
