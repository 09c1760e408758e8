using System.Text;

namespace RetentionAnalytics.Core.Generator;

internal sealed partial class Simulation
{
    private static readonly int[] Denominations = [1000, 2000, 3000, 5000, 10000, 20000, 30000];
    private static readonly string[] Networks = ["own", "own", "cmcc", "cucc", "ctcc"];
    private static readonly string[] ForwardTypes = ["unconditional", "busy", "no_answer", "unreachable"];
    private static readonly string[] PayMethods = ["bank", "cash", "online", "auto_debit"];
    private static readonly double[] PayMethodWeights = Catalog.Cumulative([10, 8, 45, 37]);
    private static readonly string[] ContactChannels = ["hotline", "store", "online", "app"];
    private static readonly double[] ContactChannelWeights = Catalog.Cumulative([50, 15, 15, 20]);
    private static readonly double[] ChurnCategoryWeights = Catalog.Cumulative([25, 25, 10, 5, 35, 0]);
    private static readonly double[] BaseCategoryWeights = Catalog.Cumulative([30, 20, 20, 15, 5, 10]);
    private static readonly double[] ComplaintShare = [0.45, 0.5, 0.4, 0.05, 0.3, 0.05];
    private static readonly string[] Tiers = ["low", "mid", "high"];

    private static int Tod(ref Rng r) => 28_800 + r.Next(14 * 3600);

    /// <summary>About one row in 20,000 is deliberately bad; returns -1 for a good row, otherwise a selector for the kind of defect.</summary>
    private int Defect(int i, int period, Ex e, ChunkOutput o, int forcedKind)
    {
        if (!_inject)
        {
            return -1;
        }

        var h = Rng.Hash(_seed, i, period, 1000 + (int)e);
        if (h % 20_000 == 0)
        {
            return (int)(h >> 40);
        }

        var b = o[e];
        if ((o.ForceMask & (1 << (int)e)) != 0 && !b.Forced && b.Rows >= 20 + (int)e)
        {
            b.Forced = true;
            return forcedKind;
        }

        return -1;
    }

    private static StringBuilder SubId(StringBuilder sb, int i) => sb.Append('S').Padded(i + 1L, 8);

    private static StringBuilder CustId(StringBuilder sb, int c) => sb.Append('C').Padded(c + 1L, 8);

    private static StringBuilder EventId(StringBuilder sb, string prefix, MonthContext m, int i, int k) =>
        sb.Append(prefix).Append(m.Yyyymm).Padded(i + 1L, 8).Padded(k, 2);

    /// <summary>Simulates one month for the subscribers [lo, hi) and writes their rows into the chunk's buffers.</summary>
    public void SimulateMonth(MonthContext m, int lo, int hi, ChunkOutput o)
    {
        for (var i = lo; i < hi; i++)
        {
            if (_subs[i].ActivationDay <= m.EndDay)
            {
                SimulateOne(i, m, o);
            }
        }
    }

    private void SimulateOne(int i, MonthContext m, ChunkOutput o)
    {
        ref var s = ref _subs[i];
        var r = Rng.For(_seed, i, m.Abs, PMonth);
        var primary = (s.Flags & Subscriber.FlagSecondLine) == 0;
        if (primary)
        {
            // The customer master is a full file: a customer stays after its lines have churned.
            WriteCustomer(i, in s, m, o);
        }

        if (s.Status == Subscriber.Gone)
        {
            // The fixed line can outlive the mobile line.
            if (s.BbState is 1 or 2)
            {
                Broadband(i, ref s, m, o, ref r, churnDay: 0, mobileSuspended: false, gone: true);
            }

            return;
        }

        var isNew = s.ActivationDay >= m.StartDay;
        var from = Math.Max(m.StartDay, s.ActivationDay);
        var postpaid = s.Postpaid;
        var dormant = (s.Flags & Subscriber.FlagDormant) != 0;

        // Churn: planned by the hidden propensity, or after long arrears suspension.
        var churnDay = 0;
        if (s.PlannedChurnAbs == m.Abs)
        {
            churnDay = Math.Min(m.EndDay, from + 1 + r.Next(Math.Max(1, m.EndDay - from)));
        }
        else if (s.Status == Subscriber.ArrearsSuspended && r.Chance(s.SuspendMonths >= 1 ? 0.35 : 0.08))
        {
            churnDay = Math.Max(from + 1, m.StartDay + 1 + r.Next(10));
        }

        var lastAlive = churnDay > 0 ? churnDay - 1 : m.EndDay;

        // Usage level: the decline before churn, and temporary dips that non-churners have too (noise).
        var k = s.PlannedChurnAbs == Subscriber.NoChurn ? int.MaxValue : s.PlannedChurnAbs - m.Abs;
        var factor = 1.0;
        var stage = 0.0;
        var declining = false;
        if (s.DeclineLen > 0 && k >= 0 && k < s.DeclineLen)
        {
            stage = (double)(s.DeclineLen - k) / s.DeclineLen;
            factor = 1 - s.DeclineDepth * stage;
            declining = true;
        }

        if (s.DipLeft > 0)
        {
            factor *= 1 - s.DipDepth;
            s.DipLeft--;
            declining = true;
        }
        else if (!isNew && r.Chance(0.035 + 0.015 * Math.Max(0, s.Z)))
        {
            s.DipLeft = (byte)r.Next(3);
            s.DipDepth = (float)(0.25 + 0.4 * r.NextDouble());
            factor *= 1 - s.DipDepth;
            declining = true;
        }

        if (dormant)
        {
            factor = 0;
        }

        // Plan changes: decliners tend to downgrade (which shows as a bill drop).
        if (!isNew && r.Chance(declining ? 0.08 : 0.008))
        {
            var down = declining || r.Chance(0.5);
            var p = s.Plan + (down ? -1 : 1);
            if (p >= 0 && p < Catalog.Plans.Length && Catalog.Plans[p].Postpaid == postpaid)
            {
                s.Plan = (byte)p;
            }
        }

        var plan = Catalog.Plans[s.Plan];
        long vasCents = VasFee(s.VasMask);
        var usableFrom = from;
        var usableTo = lastAlive;
        var ev = 0;
        var pay = 0;
        var rc = 0;
        var will = k == 0 ? 0.1 : declining ? 0.4 : 1.0;   // willingness to pay / top up
        var feeCharged = true;

        if (postpaid)
        {
            long owed = s.LastBillCents;
            if (s.Status == Subscriber.ArrearsSuspended)
            {
                if (churnDay == 0 && r.Chance(0.55 * Math.Max(will, 0.5)))
                {
                    var d = m.StartDay + 1 + r.Next(20);
                    var t = Tod(ref r);
                    Payment(o, m, i, pay++, d, t, s.ArrearsCents + owed, "online");
                    AccountEvent(o, m, i, ev++, "resume", d, Math.Min(86_399, t + 1800), 0);
                    s.Status = Subscriber.Active;
                    s.ArrearsCents = 0;
                    s.SuspendMonths = 0;
                    usableFrom = Math.Max(usableFrom, d);
                }
                else
                {
                    s.ArrearsCents += owed;
                    s.SuspendMonths++;
                    usableFrom = int.MaxValue;
                }
            }
            else
            {
                if (s.Status == Subscriber.RequestSuspended)
                {
                    ResumeFromRequest(ref s, o, m, i, ref r, ref ev, ref usableFrom, lastAlive);
                }

                if (owed > 0)
                {
                    var pNonPay = 0.02 + 0.03 * Math.Max(0, s.Z) + (declining ? 0.06 : 0);
                    if (!r.Chance(pNonPay))
                    {
                        var method = PayMethods[r.Pick(PayMethodWeights)];
                        var d = method == "auto_debit" ? m.StartDay + 4 : m.StartDay + r.Next(15);
                        if (d <= lastAlive)
                        {
                            Payment(o, m, i, pay++, d, method == "auto_debit" ? 7200 + r.Next(3600) : Tod(ref r), owed, method);
                        }
                    }
                    else
                    {
                        // Arrears: a notice after the due date, then suspension unless the customer pays late.
                        var notice = m.StartDay + 15;
                        if (notice <= lastAlive)
                        {
                            AccountEvent(o, m, i, ev++, "arrears_notice", notice, 32_400, owed);
                        }

                        if (r.Chance(0.45))
                        {
                            var d = m.StartDay + 16 + r.Next(8);
                            if (d <= lastAlive)
                            {
                                Payment(o, m, i, pay++, d, Tod(ref r), owed, "online");
                            }
                        }
                        else
                        {
                            var d = m.StartDay + 24;
                            if (d <= lastAlive)
                            {
                                AccountEvent(o, m, i, ev++, "arrears_suspend", d, 1800, owed);
                                s.Status = Subscriber.ArrearsSuspended;
                                s.ArrearsCents = owed;
                                s.SuspendMonths = 0;
                                usableTo = Math.Min(usableTo, d - 1);
                            }
                        }
                    }
                }
            }
        }
        else
        {
            // Prepaid: the monthly fee is deducted on the 1st; a balance below the fee suspends the line.
            var bal = s.BalanceCents;
            if (isNew)
            {
                var deposit = r.Chance(0.5) ? 5000 : 10000;
                Recharge(o, m, i, rc++, s.ActivationDay, Tod(ref r), deposit, Catalog.Channels[s.Channel].Code);
                bal += deposit;
            }

            if (s.Status == Subscriber.ArrearsSuspended)
            {
                if (churnDay == 0 && r.Chance(0.6 * will))
                {
                    var d = m.StartDay + 1 + r.Next(20);
                    var t = Tod(ref r);
                    var amount = Denomination(-bal + plan.FeeCents + vasCents + 2000 + r.Next(3000));
                    Recharge(o, m, i, rc++, d, t, amount, RechargeChannel(ref r));
                    bal += amount - plan.FeeCents - vasCents;
                    AccountEvent(o, m, i, ev++, "resume", d, Math.Min(86_399, t + 60), 0);
                    s.Status = Subscriber.Active;
                    s.SuspendMonths = 0;
                    usableFrom = Math.Max(usableFrom, d);
                }
                else
                {
                    s.SuspendMonths++;
                    usableFrom = int.MaxValue;
                    feeCharged = false;
                }
            }
            else
            {
                if (s.Status == Subscriber.RequestSuspended)
                {
                    ResumeFromRequest(ref s, o, m, i, ref r, ref ev, ref usableFrom, lastAlive);
                }

                bal -= plan.FeeCents + vasCents;
                if (bal < 0 && !isNew)
                {
                    if (r.Chance(0.6 * will))
                    {
                        var amount = Denomination(-bal + 3000 + r.Next(5000));
                        Recharge(o, m, i, rc++, m.StartDay + r.Next(2), Tod(ref r), amount, RechargeChannel(ref r));
                        bal += amount;
                    }
                    else
                    {
                        AccountEvent(o, m, i, ev++, "arrears_suspend", m.StartDay, 300, -bal);
                        s.Status = Subscriber.ArrearsSuspended;
                        s.SuspendMonths = 0;
                        if (churnDay == 0 && r.Chance(0.5 * will))
                        {
                            var d = m.StartDay + 3 + r.Next(20);
                            var t = Tod(ref r);
                            var amount = Denomination(-bal + 2000 + r.Next(5000));
                            Recharge(o, m, i, rc++, d, t, amount, RechargeChannel(ref r));
                            bal += amount;
                            AccountEvent(o, m, i, ev++, "resume", d, Math.Min(86_399, t + 60), 0);
                            s.Status = Subscriber.Active;
                            usableFrom = Math.Max(usableFrom, d);
                        }
                        else
                        {
                            usableFrom = int.MaxValue;
                        }
                    }
                }
            }

            s.BalanceCents = bal;
        }

        // Suspension on the customer's own request (travel abroad, lost phone).
        if (s.Status == Subscriber.Active && churnDay == 0 && usableFrom <= usableTo && r.Chance(0.003))
        {
            var d = Math.Max(usableFrom, m.StartDay + 3 + r.Next(Math.Max(1, m.Dim - 5)));
            if (d <= usableTo)
            {
                AccountEvent(o, m, i, ev++, "request_suspend", d, Tod(ref r), 0);
                s.Status = Subscriber.RequestSuspended;
                usableTo = d - 1;
            }
        }

        // Usage of the month.
        var usableDays = usableFrom > usableTo ? 0 : usableTo - usableFrom + 1;
        var frac = usableDays / (double)m.Dim;
        var f = factor * frac;
        var voice = s.VoiceBase * m.VoiceSeason * f * r.LogNoise(0.25);
        var data = plan.DataMb * s.DataRatio * m.DataSeason * f * r.LogNoise(0.3);
        var sms = (long)(s.SmsBase * m.SmsSeason * f * r.LogNoise(0.5) + 0.5);
        var share = Math.Min(0.9, s.OffnetShare + (declining ? 0.2 * stage : 0) + 0.03 * r.Normal());
        share = Math.Max(0, share);
        var voiceT = (long)Math.Round(voice * 10);
        var dataT = (long)Math.Round(data * 10);
        var offT = (long)Math.Round(voiceT * share);
        var offCalls = offT == 0 ? 0 : Math.Max(1, (long)(offT / 10.0 / (2 + 2 * r.NextDouble())));
        var activeDays = usableDays == 0 || voiceT + dataT + sms == 0
            ? 0
            : Math.Clamp((int)Math.Round(usableDays * Math.Min(1, 0.5 + 0.5 * factor) * (0.85 + 0.15 * r.NextDouble())), 1, usableDays);

        // Bill: plan fee (prorated for postpaid), usage beyond the fee, overage, SMS and VAS.
        long planFee;
        long vasFee;
        if (postpaid)
        {
            planFee = (long)Math.Round(plan.FeeCents * frac);
            vasFee = (long)Math.Round(vasCents * frac);
        }
        else
        {
            planFee = feeCharged ? plan.FeeCents : 0;
            vasFee = feeCharged ? vasCents : 0;
        }

        var extra = Math.Max(0, s.BaseArpu - plan.FeeCents / 100.0 - vasCents / 100.0) * f * r.LogNoise(0.2);
        var voiceOver = Math.Max(0, voice - plan.VoiceMin * frac) * 0.15;
        var dataOver = Math.Min(100, Math.Max(0, data - plan.DataMb * frac) * 0.01);
        var voiceFee = planFee * 4 / 10 + (long)Math.Round((extra * 0.45 + voiceOver) * 100);
        var dataFee = planFee - planFee * 4 / 10 + (long)Math.Round((extra * 0.45 + dataOver) * 100);
        var smsFee = Math.Max(0, sms - 30) * 10;
        var otherFee = (long)Math.Round(extra * 10) + (r.Chance(0.05) ? 100 + r.Next(900) : 0);
        var total = voiceFee + dataFee + smsFee + vasFee + otherFee;

        if (!postpaid)
        {
            var usageCharges = total - planFee - vasFee;
            var bal = s.BalanceCents;
            if (s.Status == Subscriber.Active && usableDays > 0)
            {
                if ((bal - usageCharges < 2000 && r.Chance(0.8 * will)) || r.Chance(0.12 * will))
                {
                    var amount = Denomination(usageCharges + plan.FeeCents + r.Next(5000));
                    Recharge(o, m, i, rc++, usableFrom + r.Next(usableDays), Tod(ref r), amount, RechargeChannel(ref r));
                    bal += amount;
                    if (r.Chance(0.12 * will))
                    {
                        var second = Denomination(2000 + r.Next(5000));
                        Recharge(o, m, i, rc++, usableFrom + r.Next(usableDays), Tod(ref r), second, RechargeChannel(ref r));
                        bal += second;
                    }
                }
            }

            bal -= usageCharges;
            if (bal < -1000 && churnDay == 0 && s.Status == Subscriber.Active)
            {
                // Credit exhausted: suspended at month end.
                AccountEvent(o, m, i, ev++, "arrears_suspend", m.EndDay, 85_800, -bal);
                s.Status = Subscriber.ArrearsSuspended;
                s.SuspendMonths = 0;
            }

            s.BalanceCents = bal;
        }

        var prevBill = s.LastBillCents;
        s.Bill3Cents = isNew ? (int)total : s.Bill2Cents;
        s.Bill2Cents = isNew ? (int)total : s.LastBillCents;
        s.LastBillCents = (int)total;
        var tenure = (m.EndDay - s.ActivationDay) / 365.25;
        var star = StarLevel((s.LastBillCents + s.Bill2Cents + s.Bill3Cents) / 300.0, tenure);
        s.PrevStar = isNew ? star : s.Star;
        s.Star = star;

        VasOrders(i, ref s, m, o, ref r, k, declining, isNew, dormant, from, lastAlive);
        Forwarding(i, ref s, m, o, ref r, k, churnDay, from, lastAlive, usableDays);
        Roaming(i, ref s, m, o, ref r, churnDay, factor, usableFrom, usableDays);
        ServiceContacts(i, ref s, m, o, ref r, k, churnDay, from, lastAlive, suspended: s.Status == Subscriber.ArrearsSuspended);
        PointsTxns(i, ref s, m, o, ref r, prevBill, churnDay, from, lastAlive, usableFrom, usableDays);
        Handsets(i, ref s, m, o, ref r, isNew, churnDay, usableFrom, usableDays);
        Agreements(i, ref s, m, o, ref r, churnDay, usableFrom, usableDays);
        if (primary)
        {
            Broadband(i, ref s, m, o, ref r, churnDay, s.Status == Subscriber.ArrearsSuspended, gone: false);
        }

        WriteSubscription(i, in s, m, o, churnDay);
        WriteBill(i, m, o, total, voiceFee, dataFee, smsFee, vasFee, otherFee, postpaid);
        WriteUsageMonth(i, m, o, voiceT, dataT, sms, offT, offCalls, activeDays);
        if (!postpaid && churnDay == 0)
        {
            WriteBalance(i, in s, m, o);
        }

        if (m.IsLast || m.KeepsDayUsage)
        {
            s.DayFrom = usableFrom;
            s.DayTo = usableTo;
            var ad = Math.Max(1, activeDays);
            s.VoiceDay = (float)(voice / ad);
            s.DataDay = (float)(data / ad);
            s.SmsDay = (float)((double)sms / ad);
            s.ActiveProb = usableDays == 0 ? 0 : (float)(activeDays / (double)usableDays);
        }

        if (churnDay > 0)
        {
            s.Status = Subscriber.Gone;
            s.ChurnAbs = m.Abs;
            s.ChurnDay = churnDay;
            s.RoamEnd = 0;
        }
    }

    private void ResumeFromRequest(ref Subscriber s, ChunkOutput o, MonthContext m, int i, ref Rng r, ref int ev, ref int usableFrom, int lastAlive)
    {
        var d = m.StartDay + r.Next(15);
        if (d <= lastAlive)
        {
            AccountEvent(o, m, i, ev++, "resume", d, Tod(ref r), 0);
            s.Status = Subscriber.Active;
            usableFrom = Math.Max(usableFrom, d);
        }
        else
        {
            usableFrom = int.MaxValue;
        }
    }

    private static long VasFee(ushort mask)
    {
        long sum = 0;
        for (var v = 0; mask != 0; v++, mask >>= 1)
        {
            if ((mask & 1) != 0)
            {
                sum += Catalog.Vas[v].FeeCents;
            }
        }

        return sum;
    }

    private static int Denomination(long targetCents)
    {
        foreach (var d in Denominations)
        {
            if (d >= targetCents)
            {
                return d;
            }
        }

        return Denominations[^1];
    }

    private static string RechargeChannel(ref Rng r) => r.NextDouble() switch
    {
        < 0.55 => "O002",
        < 0.75 => "O001",
        < 0.9 => "A001",
        _ => "S001",
    };
}
