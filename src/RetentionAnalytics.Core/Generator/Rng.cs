namespace RetentionAnalytics.Core.Generator;

/// <summary>
/// SplitMix64 stream. Every (seed, subscriber, period, purpose) gets its own stream, so the output does
/// not depend on how subscribers are split over threads.
/// </summary>
internal struct Rng
{
    private ulong _state;

    private Rng(ulong state) => _state = state;

    public static Rng For(int seed, int subscriber, int period, int purpose) =>
        new(Hash(seed, subscriber, period, purpose));

    public static ulong Hash(int seed, int subscriber, int period, int purpose)
    {
        var h = Mix((ulong)(uint)seed * 0x9E3779B97F4A7C15UL + 0x632BE59BD9B4E019UL);
        h = Mix(h ^ ((ulong)(uint)subscriber * 0xD1B54A32D192ED03UL));
        h = Mix(h ^ ((ulong)(uint)period << 20) ^ (uint)purpose);
        return h;
    }

    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextULong()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, n); n must be positive.</summary>
    public int Next(int n) => n <= 1 ? 0 : (int)(((NextULong() >> 33) * (ulong)n) >> 31);

    public bool Chance(double p) => NextDouble() < p;

    public double Normal()
    {
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Log-normal multiplier with median 1.</summary>
    public double LogNoise(double sigma) => Math.Exp(sigma * Normal());

    /// <summary>Index drawn from cumulative weights (last entry is the total).</summary>
    public int Pick(double[] cumulative)
    {
        var x = NextDouble() * cumulative[^1];
        for (var i = 0; i < cumulative.Length; i++)
        {
            if (x < cumulative[i])
            {
                return i;
            }
        }

        return cumulative.Length - 1;
    }
}
