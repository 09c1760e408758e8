namespace RetentionAnalytics.Core.Generator;

/// <summary>One month of the simulation window.</summary>
internal sealed class MonthContext
{
    public int Index, Abs, Year, Month, StartDay, EndDay, Dim, Yyyymm;
    public bool IsFirst, IsLast, SpringFestival;

    /// <summary>Its events are delivered day by day (<see cref="GeneratorOptions.DailyMonths"/>).</summary>
    public bool Daily;

    /// <summary>Its daily usage is written (the last month, or the daily months and the one before them).</summary>
    public bool KeepsDayUsage;
    public double VoiceSeason, DataSeason, SmsSeason, DomRoam, IntlRoam;

    public static MonthContext Create(DateOnly start, int index, int count)
    {
        var end = start.AddMonths(1).AddDays(-1);
        var sf = Catalog.IsSpringFestival(start.Year, start.Month);
        var m = new MonthContext
        {
            Index = index, Abs = start.Year * 12 + start.Month - 1, Year = start.Year, Month = start.Month,
            StartDay = start.DayNumber, EndDay = end.DayNumber, Dim = end.Day, Yyyymm = start.Year * 100 + start.Month,
            IsFirst = index == 0, IsLast = index == count - 1, SpringFestival = sf,
        };
        // Spring Festival: family calls, greetings and travel; National Day and summer: travel.
        m.VoiceSeason = sf ? 1.25 : start.Month is 10 or 12 ? 1.03 : 1.0;
        m.SmsSeason = sf ? 1.6 : 1.0;
        m.DataSeason = (sf ? 1.15 : start.Month is 7 or 8 ? 1.08 : start.Month == 10 ? 1.05 : 1.0) * (1 + 0.01 * index);
        m.DomRoam = sf ? 3.0 : start.Month switch { 10 => 2.2, 7 or 8 => 1.6, 5 => 1.4, _ => 1.0 };
        m.IntlRoam = sf ? 1.8 : start.Month switch { 7 or 8 => 2.0, 10 => 1.8, _ => 1.0 };
        return m;
    }
}

internal sealed partial class Simulation
{
    private const int PInit = 1, PActivation = 2, PCity = 3, PChurn = 4, PRenew = 5, PName = 6, PMonth = 7, PDay = 8, PSecond = 9;

    private readonly int _seed;
    private readonly int _n;
    private readonly bool _inject;
    private readonly Subscriber[] _subs;
    private readonly int _windowStart;     // first day of the first month
    private readonly int _windowEnd;       // last day of the last month
    private readonly int _firstAbs, _lastAbs;
    private readonly double[] _cityWeights;
    private readonly double[][] _districtWeights;
    private readonly double[] _channelWeights;
    private readonly int[] _managersPerCity;

    public Simulation(GeneratorOptions options)
    {
        _seed = options.Seed;
        _n = options.Subscribers;
        _inject = options.InjectDefects;
        _subs = new Subscriber[_n];
        var endMonth = new DateOnly(options.EndMonth.Year, options.EndMonth.Month, 1);
        var startMonth = endMonth.AddMonths(-(options.Months - 1));
        _windowStart = startMonth.DayNumber;
        _windowEnd = endMonth.AddMonths(1).AddDays(-1).DayNumber;
        _firstAbs = startMonth.Year * 12 + startMonth.Month - 1;
        _lastAbs = endMonth.Year * 12 + endMonth.Month - 1;
        _cityWeights = Catalog.Cumulative(Catalog.Cities.Select(c => c.Weight));
        _districtWeights = [.. Catalog.Cities.Select(c => Catalog.Cumulative(c.Districts.Select(d => d.Weight)))];
        _channelWeights = Catalog.Cumulative(Catalog.Channels.Select(c => c.Weight));
        _managersPerCity = [.. Catalog.Cities.Select(Catalog.AccountManagersIn)];
    }

    public Subscriber[] Subscribers => _subs;

    public int Count => _n;

    public int LastAbs => _lastAbs;

    /// <summary>A second line joins the customer of the previous subscriber (a household with two SIMs).</summary>
    private bool IsCandidate(int i) => i > 0 && Rng.Hash(_seed, i, 0, PSecond) % 100 < 8;

    private bool IsSecondLine(int i) => IsCandidate(i) && !IsCandidate(i - 1);

    private int DrawActivation(int i)
    {
        var r = Rng.For(_seed, i, 0, PActivation);
        if (r.Chance(0.82))
        {
            // Tenure of the existing base: roughly exponential, mean 4.5 years, at most 22.
            var years = Math.Min(22.0, -Math.Log(1 - r.NextDouble()) * 4.5);
            var day = _windowStart - 1 - (int)(years * 365.25) - r.Next(30);
            return Math.Max(day, new DateOnly(2004, 1, 1).DayNumber);
        }

        // New activations spread over the window, slightly more towards the end (growth campaigns).
        var span = _windowEnd - _windowStart;
        var u = Math.Sqrt(r.NextDouble()) * 0.3 + r.NextDouble() * 0.7;
        return _windowStart + (int)(Math.Min(0.999, u) * span);
    }

    private (byte City, byte District) DrawCity(int i)
    {
        var r = Rng.For(_seed, i, 0, PCity);
        var c = r.Pick(_cityWeights);
        return ((byte)c, (byte)r.Pick(_districtWeights[c]));
    }

    private static double Sigmoid(double x) => 1.0 / (1.0 + Math.Exp(-x));

    public void Initialise(int lo, int hi)
    {
        for (var i = lo; i < hi; i++)
        {
            InitialiseOne(i);
        }
    }

    private void InitialiseOne(int i)
    {
        ref var s = ref _subs[i];
        var r = Rng.For(_seed, i, 0, PInit);
        var second = IsSecondLine(i);
        s.Customer = second ? i - 1 : i;
        s.ActivationDay = DrawActivation(i);
        (s.City, s.District) = DrawCity(s.Customer);
        if (second)
        {
            s.Flags |= Subscriber.FlagSecondLine;
            s.ActivationDay = Math.Max(s.ActivationDay, DrawActivation(i - 1));
        }

        if (Rng.Hash(_seed, s.Customer, 1, PSecond) % 100 < 5)
        {
            s.Flags |= Subscriber.FlagBusiness;
        }

        s.Channel = (byte)r.Pick(_channelWeights);
        s.Z = (float)r.Normal();
        var postpaid = r.Chance((s.Flags & Subscriber.FlagBusiness) != 0 ? 0.85 : 0.45);
        if (postpaid)
        {
            s.Flags |= Subscriber.FlagPostpaid;
        }

        var isNew = s.ActivationDay >= _windowStart;
        // Sleeping SIMs: some new activations never use the line (new-subscriber quality analysis).
        var dormant = isNew && r.Chance(0.04);
        if (dormant)
        {
            s.Flags |= Subscriber.FlagDormant;
        }

        // ARPU is log-normal; risky subscribers spend a little less.
        var arpu = (postpaid ? 85.0 : 28.0) * r.LogNoise(postpaid ? 0.6 : 0.65) * Math.Exp(-0.08 * s.Z);
        s.BaseArpu = (float)Math.Min(arpu, 2000);
        s.Plan = ChoosePlan(postpaid, arpu * (0.6 + 0.4 * r.NextDouble()));
        var plan = Catalog.Plans[s.Plan];
        s.VoiceBase = (float)(Math.Max(5, plan.VoiceMin * 0.7) * r.LogNoise(0.5));
        s.DataRatio = (float)(r.Chance(0.15) ? 0.01 + 0.07 * r.NextDouble() : 0.55 * r.LogNoise(0.5));
        s.SmsBase = (float)(12 * r.LogNoise(0.8));
        s.OffnetShare = (float)(0.12 + 0.25 * r.NextDouble());

        // Agreements: a commitment lowers churn, its unrenewed end raises it.
        if (r.Chance(postpaid ? 0.45 : 0.12))
        {
            var options = postpaid ? new[] { 0, 1, 2, 3 } : new[] { 4, 5 };
            s.AgPolicy = (byte)options[r.Next(options.Length)];
            var months = Catalog.Policies[s.AgPolicy].Months;
            var start = isNew ? s.ActivationDay : Math.Max(s.ActivationDay, _windowStart - r.Next(months * 31));
            s.AgStart = start;
            s.AgEnd = DateOnly.FromDayNumber(start).AddMonths(months).AddDays(-1).DayNumber;
            s.AgActive = true;
            s.AgSeq = 1;
            while (s.AgActive && s.AgEnd < _windowStart)
            {
                AdvanceAgreement(i, ref s);
            }
        }

        // Base hazard: prepaid, dormant and risky subscribers leave more often.
        var logit = -4.7 + 0.95 * s.Z + (postpaid ? 0 : 0.35) + (dormant ? 1.5 : 0);
        s.Hazard = (float)Sigmoid(logit);
        s.PlannedChurnAbs = PlanChurn(i, in s);
        if (s.PlannedChurnAbs != Subscriber.NoChurn)
        {
            // Most churners fade out over one to three months; some leave without warning.
            if (r.Chance(0.72))
            {
                s.DeclineLen = (byte)(1 + r.Next(3));
                s.DeclineDepth = (float)(0.3 + 0.5 * r.NextDouble());
            }

            if (r.Chance(0.28))
            {
                s.ChurnSignals |= Subscriber.SignalForward;
            }

            if (r.Chance(0.32))
            {
                s.ChurnSignals |= Subscriber.SignalComplaint;
            }

            if (r.Chance(0.45))
            {
                s.ChurnSignals |= Subscriber.SignalVasDrop;
            }
        }

        var vasCount = r.NextDouble() switch { < 0.55 => 0, < 0.85 => 1, < 0.97 => 2, _ => 3 };
        for (var k = 0; k < vasCount && !isNew; k++)
        {
            s.VasMask |= (ushort)(1 << r.Next(Catalog.Vas.Length));
        }

        var tenureYears = (_windowStart - s.ActivationDay) / 365.25;
        var billCents = isNew ? 0 : (int)(arpu * 100);
        s.LastBillCents = s.Bill2Cents = s.Bill3Cents = billCents;
        s.Star = s.PrevStar = StarLevel(arpu, Math.Max(0, tenureYears));
        s.BalanceCents = postpaid || isNew ? 0 : (long)(500 + r.Next(11500));
        s.Points = isNew ? 0 : (int)Math.Min(200_000, tenureYears * arpu * 12 * (0.1 + 0.6 * r.NextDouble()));
        s.HandsetIdx = PickHandset(ref r, s.BaseArpu, DateOnly.FromDayNumber(_windowStart).Year, 255);
        s.HandsetSeen = isNew ? s.ActivationDay : Math.Max(s.ActivationDay, _windowStart - 1 - r.Next(3 * 365));
        if (!second && r.Chance(isNew ? 0.06 : 0.16))
        {
            s.BbState = 1;
            s.BbPlan = (byte)r.Next(Catalog.BroadbandPlans.Length);
            s.BbStart = isNew ? s.ActivationDay : Math.Max(s.ActivationDay, _windowStart - 1 - r.Next(6 * 365));
        }

        s.Status = Subscriber.Active;
        s.ChurnAbs = Subscriber.NoChurn;
    }

    /// <summary>The planned churn month: a monthly hazard draw over the window, modulated by tenure and the agreement chain.</summary>
    private int PlanChurn(int i, in Subscriber s0)
    {
        var s = s0;
        var activationAbs = ToAbs(s.ActivationDay);
        for (var abs = Math.Max(_firstAbs, activationAbs + 1); abs <= _lastAbs; abs++)
        {
            var monthStart = FromAbs(abs);
            while (s.AgActive && s.AgEnd < monthStart)
            {
                AdvanceAgreement(i, ref s);
            }

            var h = (double)s.Hazard;
            if (s.AgActive)
            {
                h *= 0.45;
            }
            else if (s.AgEnd != 0 && monthStart - s.AgEnd < 92)
            {
                h *= 2.2;
            }

            if (monthStart - s.ActivationDay < 183)
            {
                h *= 1.4;
            }

            if (Rng.For(_seed, i, abs, PChurn).Chance(h))
            {
                return abs;
            }
        }

        return Subscriber.NoChurn;
    }

    /// <summary>At an agreement's end the customer renews (a new agreement from the next day) or lets it end.</summary>
    private bool AdvanceAgreement(int i, ref Subscriber s)
    {
        var r = Rng.For(_seed, i, s.AgSeq, PRenew);
        var renew = r.Chance(Math.Clamp(0.55 - 0.15 * s.Z, 0.2, 0.85));
        if (!renew)
        {
            s.AgActive = false;
            return false;
        }

        s.AgSeq++;
        s.AgStart = s.AgEnd + 1;
        s.AgEnd = DateOnly.FromDayNumber(s.AgStart).AddMonths(Catalog.Policies[s.AgPolicy].Months).AddDays(-1).DayNumber;
        return true;
    }

    public static int ToAbs(int dayNumber)
    {
        var d = DateOnly.FromDayNumber(dayNumber);
        return d.Year * 12 + d.Month - 1;
    }

    public static int FromAbs(int abs) => new DateOnly(abs / 12, abs % 12 + 1, 1).DayNumber;

    private static byte ChoosePlan(bool postpaid, double budget)
    {
        byte best = 255;
        for (var p = 0; p < Catalog.Plans.Length; p++)
        {
            var plan = Catalog.Plans[p];
            if (plan.Postpaid != postpaid)
            {
                continue;
            }

            if (best == 255 || plan.FeeCents <= budget * 100)
            {
                if (best == 255 || plan.FeeCents > Catalog.Plans[best].FeeCents)
                {
                    best = (byte)p;
                }
            }
        }

        return best;
    }

    /// <summary>Star level 0..7: points for spend plus points for tenure (0 = no membership level).</summary>
    public static byte StarLevel(double avgBillYuan, double tenureYears)
    {
        var spend = avgBillYuan switch { < 15 => 0, < 40 => 1, < 90 => 2, < 180 => 3, _ => 4 };
        var tenure = tenureYears switch { < 1 => 0, < 3 => 1, < 6 => 2, _ => 3 };
        return (byte)Math.Min(7, spend + tenure);
    }

    private static byte PickHandset(ref Rng r, double arpu, int year, int current)
    {
        var tier = arpu switch { < 30 => 0, < 80 => 1, < 150 => 2, _ => 3 };
        for (var attempt = 0; ; attempt++)
        {
            var h = r.Next(Catalog.Handsets.Length);
            var hs = Catalog.Handsets[h];
            if (h == current || hs.ReleaseYear > year)
            {
                continue;
            }

            if (Math.Abs(hs.Tier - tier) <= 1 || attempt > 20)
            {
                return (byte)h;
            }
        }
    }

    /// <summary>Value tiers from ARPU quantiles (high ~10 %, mid ~30 %, low ~60 %); account managers for high-value postpaid.</summary>
    public void AssignTiers()
    {
        if (_n == 0)
        {
            return;
        }

        var arpu = new float[_n];
        for (var i = 0; i < _n; i++)
        {
            arpu[i] = _subs[i].BaseArpu;
        }

        Array.Sort(arpu);
        var mid = arpu[(int)(_n * 0.60)];
        var high = arpu[Math.Min(_n - 1, (int)(_n * 0.90))];
        for (var i = 0; i < _n; i++)
        {
            ref var s = ref _subs[i];
            s.Tier = (byte)(s.BaseArpu >= high ? 2 : s.BaseArpu >= mid ? 1 : 0);
            if (s.Tier == 2 && s.Postpaid)
            {
                s.AccountManager = (byte)(1 + Rng.Hash(_seed, i, 2, PSecond) % (ulong)_managersPerCity[s.City]);
            }
        }
    }
}
