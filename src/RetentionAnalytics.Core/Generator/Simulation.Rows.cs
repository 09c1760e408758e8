using System.Text;

namespace RetentionAnalytics.Core.Generator;

internal sealed partial class Simulation
{
    private static readonly int[] IdWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string IdCheck = "10X98765432";

    /// <summary>Customer master row; name, gender, birth date and ID number are synthetic and re-derived from the customer's hash.</summary>
    private void WriteCustomer(int c, in Subscriber s, MonthContext m, ChunkOutput o)
    {
        var b = o[Ex.Customer];
        var sb = b.Sb;
        var r = Rng.For(_seed, c, 0, PName);
        var city = Catalog.Cities[s.City];
        if (Defect(c, m.Abs, Ex.Customer, o, m.Index) >= 0)
        {
            b.MarkDefect("missing required CUST_ID", c);
        }
        else
        {
            CustId(sb, c);
        }

        sb.C();
        if ((s.Flags & Subscriber.FlagBusiness) != 0)
        {
            var name = city.NameZh + Catalog.CompanyWords[r.Next(Catalog.CompanyWords.Length)]
                + Catalog.CompanyTrades[r.Next(Catalog.CompanyTrades.Length)] + "有限公司";
            // Some branch names carry an ASCII comma: the field must be quoted (RFC 4180).
            sb.Field(r.Chance(0.2) ? name + "," + city.Districts[s.District].NameZh + "分公司" : name);
            sb.C().C().Append('U').C();
        }
        else
        {
            var male = r.Chance(0.51);
            sb.Append(Catalog.Surnames[r.Next(Catalog.Surnames.Length)]);
            var given = male ? Catalog.GivenMale : Catalog.GivenFemale;
            sb.Append(given[r.Next(given.Length)]);
            if (r.Chance(0.35))
            {
                sb.Append(given[r.Next(given.Length)]);
            }

            var birth = s.ActivationDay - (18 + r.Next(55)) * 365 - r.Next(365);
            Span<char> id = stackalloc char[18];
            city.IdArea.AsSpan().CopyTo(id);
            id[4] = '0';
            id[5] = (char)('1' + s.District);
            CsvText.CompactDate(birth).AsSpan().CopyTo(id[6..]);
            var seq = r.Next(500) * 2 + (male ? 1 : 0);
            id[14] = (char)('0' + seq / 100);
            id[15] = (char)('0' + seq / 10 % 10);
            id[16] = (char)('0' + seq % 10);
            var sum = 0;
            for (var d = 0; d < 17; d++)
            {
                sum += (id[d] - '0') * IdWeights[d];
            }

            id[17] = IdCheck[sum % 11];
            sb.C().Append(id).C().Append(r.Chance(0.01) ? 'U' : male ? 'M' : 'F').C().Date(birth);
        }

        sb.C().Append(city.Code).C().Append((s.Flags & Subscriber.FlagBusiness) != 0 ? "business" : "individual").C().Date(s.ActivationDay);
        b.EndRow();
    }

    private void WriteSubscription(int i, in Subscriber s, MonthContext m, ChunkOutput o, int churnDay)
    {
        var b = o[Ex.Subscription];
        var defect = Defect(i, m.Abs, Ex.Subscription, o, m.Index);
        defect = defect < 0 ? -1 : defect % 3;
        for (var copy = 0; copy < (defect == 2 ? 2 : 1); copy++)
        {
            var sb = b.Sb;
            var status = churnDay > 0 ? 'C' : s.Status is Subscriber.ArrearsSuspended or Subscriber.RequestSuspended ? 'S' : 'A';
            if (defect == 0)
            {
                b.MarkDefect("unknown STATUS code 'X'", i);
                status = 'X';
            }
            else if (defect == 2 && copy == 1)
            {
                b.MarkDefect("duplicate key SUBS_ID", i);
            }

            var city = Catalog.Cities[s.City];
            SubId(sb, i).C();
            CustId(sb, s.Customer).C();
            // MSISDN and IMSI: the 8 and 10 trailing digits are bijections of the index, so they are unique.
            var h = Rng.Hash(_seed, i, 0, 55);
            sb.Append(Catalog.OwnPrefixes[(int)(h % (ulong)Catalog.OwnPrefixes.Length)]).Padded(((i + 1L) * 48_271 + 13_579_246) % 100_000_000, 8).C();
            sb.Append((h >> 20 & 1) == 0 ? "46000" : "46002").Padded(((i + 1L) * 7_919 + 1_234_567_890) % 10_000_000_000, 10).C();
            sb.Append(Catalog.Plans[s.Plan].Code).C().Append(s.Postpaid ? '1' : '0').C().Append(status).C();
            if (defect == 1)
            {
                b.MarkDefect("invalid ACTIVATE_DATE 2026-02-30", i);
                sb.Append("2026-02-30");
            }
            else
            {
                sb.Date(s.ActivationDay);
            }

            sb.C();
            if (churnDay > 0)
            {
                sb.Date(churnDay);
            }

            sb.C().Append(city.Code).C().Append(city.Districts[s.District].Code).C().Append(Catalog.Channels[s.Channel].Code).C()
                .Append(Tiers[s.Tier]).C().Int(s.Star).C();
            if (s.AccountManager != 0)
            {
                sb.Append("AM").Append(city.Code).Padded(s.AccountManager, 2);
            }

            b.EndRow();
        }
    }

    private void WriteBill(int i, MonthContext m, ChunkOutput o, long total, long voice, long data, long sms, long vas, long other, bool postpaid)
    {
        var b = o[Ex.Bill];
        var sb = b.Sb;
        var defect = Defect(i, m.Abs, Ex.Bill, o, m.Index);
        defect = defect < 0 ? -1 : defect % 2;
        if (defect == 1)
        {
            b.MarkDefect("invalid BILL_MONTH 202613", i);
            sb.Append(m.Year).Append("13");
        }
        else
        {
            sb.Append(m.Yyyymm);
        }

        sb.C();
        SubId(sb, i).C();
        if (defect == 0)
        {
            b.MarkDefect("negative TOTAL_FEE (minimum 0)", i);
            sb.Money(-Math.Max(total, 1250));
        }
        else
        {
            sb.Money(total);
        }

        sb.C().Money(voice).C().Money(data).C().Money(sms).C().Money(vas).C().Money(other).C();
        if (postpaid)
        {
            sb.Date(m.EndDay + 15);
        }

        b.EndRow();
    }

    private void WriteUsageMonth(int i, MonthContext m, ChunkOutput o, long voiceT, long dataT, long sms, long offT, long offCalls, int activeDays)
    {
        var b = o[Ex.UsageMonth];
        var sb = b.Sb;
        var defect = Defect(i, m.Abs, Ex.UsageMonth, o, m.Index) >= 0;
        if (defect)
        {
            b.MarkDefect("ragged row: one field too many", i);
        }

        sb.Append(m.Yyyymm).C();
        SubId(sb, i).C().Tenths(voiceT).C().Tenths(dataT).C().Int(sms).C().Tenths(offT).C().Int(offCalls).C().Int(activeDays);
        if (defect)
        {
            sb.Append(",0");
        }

        b.EndRow();
    }

    private static void WriteBalance(int i, in Subscriber s, MonthContext m, ChunkOutput o)
    {
        var b = o[Ex.Balance];
        var sb = b.Sb;
        sb.Date(m.EndDay).C();
        SubId(sb, i).C().Money(s.BalanceCents).C().Money(Catalog.Plans[s.Plan].FeeCents + VasFee(s.VasMask));
        b.EndRow();
    }

    /// <summary>Daily usage for one day: rows only for subscribers with usage that day, from the usage of the month
    /// whose daily figures the subscribers keep (starting on <paramref name="lastMonthStart"/>, absolute month <paramref name="monthAbs"/>).</summary>
    public void SimulateDay(int day, int lastMonthStart, int monthAbs, int lo, int hi, ChunkOutput o)
    {
        var b = o[Ex.UsageDay];
        var weekend = DateOnly.FromDayNumber(day).DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
        var date = CsvText.CompactDate(day);
        for (var i = lo; i < hi; i++)
        {
            ref var s = ref _subs[i];
            if (s.ActivationDay > day || s.ActiveProb <= 0)
            {
                continue;
            }

            if (s.Status == Subscriber.Gone && (s.ChurnAbs < monthAbs || day >= s.ChurnDay))
            {
                continue;
            }

            if (day >= lastMonthStart && (day < s.DayFrom || day > s.DayTo))
            {
                continue;
            }

            var r = Rng.For(_seed, i, day, PDay);
            if (!r.Chance(s.ActiveProb))
            {
                continue;
            }

            var voiceT = (long)Math.Round(s.VoiceDay * r.LogNoise(0.6) * 10);
            var dataT = (long)Math.Round(s.DataDay * (weekend ? 1.15 : 1.0) * r.LogNoise(0.5) * 10);
            var sms = (long)(s.SmsDay * r.LogNoise(0.8) + r.NextDouble());
            if (voiceT + dataT + sms == 0)
            {
                continue;
            }

            var offT = (long)Math.Round(voiceT * s.OffnetShare * (0.7 + 0.6 * r.NextDouble()));
            var offCalls = offT == 0 ? 0 : Math.Max(1, (long)(offT / 10.0 / (2 + 2 * r.NextDouble())));
            var sb = b.Sb;
            var defect = Defect(i, day, Ex.UsageDay, o, 0) >= 0;
            if (defect)
            {
                b.MarkDefect("ragged row: one field missing", i);
            }

            sb.Append(date).C();
            SubId(sb, i).C().Tenths(voiceT).C().Tenths(dataT).C().Int(sms).C().Tenths(offT);
            if (!defect)
            {
                sb.C().Int(offCalls);
            }

            b.EndRow();
        }
    }

    public static void WriteReference(Ex e, StringBuilder sb, string nl)
    {
        switch (e)
        {
            case Ex.Region:
                sb.Append(Catalog.ProvinceCode).Append(",Zhejiang,浙江,province,").Append(nl);
                foreach (var c in Catalog.Cities)
                {
                    sb.Append(c.Code).C().Append(c.Name).C().Append(c.NameZh).Append(",city,").Append(Catalog.ProvinceCode).Append(nl);
                }

                foreach (var c in Catalog.Cities)
                {
                    foreach (var d in c.Districts)
                    {
                        sb.Append(d.Code).C().Append(d.Name).C().Append(d.NameZh).Append(",district,").Append(c.Code).Append(nl);
                    }
                }

                break;
            case Ex.Channel:
                foreach (var c in Catalog.Channels)
                {
                    sb.Append(c.Code).C().Append(c.Name).C().Append(c.Type).Append(nl);
                }

                break;
            case Ex.Plan:
                foreach (var p in Catalog.Plans)
                {
                    sb.Append(p.Code).C().Append(p.Name).C().Append(p.Postpaid ? "postpaid" : "prepaid").C().Money(p.FeeCents).C()
                        .Int(p.DataMb).C().Int(p.VoiceMin).C().Append(p.Family).Append(nl);
                }

                break;
            case Ex.VasProduct:
                foreach (var v in Catalog.Vas)
                {
                    sb.Append(v.Code).C().Append(v.Name).C().Append(v.Category).C().Money(v.FeeCents).Append(nl);
                }

                break;
        }
    }
}
