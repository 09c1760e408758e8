using System.Text;

namespace RetentionAnalytics.Core.Generator;

internal sealed partial class Simulation
{
    private void Payment(ChunkOutput o, MonthContext m, int i, int k, int day, int tod, long cents, string method)
    {
        var b = o.For(Ex.Payment, day);
        var sb = b.Sb;
        EventId(sb, "PY", m, i, k).C();
        SubId(sb, i).C();
        if (k == 0 && Defect(i, m.Abs, Ex.Payment, o, m.Index) >= 0)
        {
            b.MarkDefect("invalid timestamp (month 13)", i);
            sb.Append(m.Year).Append("-13-01 10:15:00");
        }
        else
        {
            sb.Timestamp(day, tod);
        }

        sb.C().Money(cents).C().Append(method);
        b.EndRow();
    }

    private void Recharge(ChunkOutput o, MonthContext m, int i, int k, int day, int tod, long cents, string channel)
    {
        var b = o.For(Ex.Recharge, day);
        var sb = b.Sb;
        EventId(sb, "RC", m, i, k).C();
        if (k == 0 && Defect(i, m.Abs, Ex.Recharge, o, m.Index) >= 0)
        {
            b.MarkDefect("missing required SUBS_ID", i);
        }
        else
        {
            SubId(sb, i);
        }

        sb.C().Timestamp(day, tod).C().Money(cents).C().Append(channel);
        b.EndRow();
    }

    private static void AccountEvent(ChunkOutput o, MonthContext m, int i, int k, string type, int day, int tod, long owedCents)
    {
        var b = o.For(Ex.AccountEvent, day);
        var sb = b.Sb;
        EventId(sb, "AE", m, i, k).C();
        SubId(sb, i).C().Append(type).C().Timestamp(day, tod).C();
        if (owedCents > 0)
        {
            sb.Money(owedCents);
        }

        b.EndRow();
    }

    private static void VasOrder(ChunkOutput o, MonthContext m, int i, int k, int vas, bool subscribe, int day, int tod, string channel)
    {
        var b = o.For(Ex.VasOrder, day);
        var sb = b.Sb;
        EventId(sb, "VO", m, i, k).C();
        SubId(sb, i).C().Append(Catalog.Vas[vas].Code).C().Append(subscribe ? "subscribe" : "unsubscribe").C().Timestamp(day, tod).C().Append(channel);
        b.EndRow();
    }

    private static void VasOrders(int i, ref Subscriber s, MonthContext m, ChunkOutput o, ref Rng r, int k, bool declining, bool isNew, bool dormant, int from, int lastAlive)
    {
        if (dormant || lastAlive < from)
        {
            return;
        }

        var n = 0;
        var span = lastAlive - from + 1;
        var dropMonth = s.DeclineLen >= 2 ? 1 : 0;
        if ((s.ChurnSignals & Subscriber.SignalVasDrop) != 0 && k == dropMonth && s.VasMask != 0)
        {
            // Churners often cancel every value-added service shortly before leaving.
            var d = from + r.Next(span);
            for (var v = 0; v < Catalog.Vas.Length; v++)
            {
                if ((s.VasMask & (1 << v)) != 0)
                {
                    VasOrder(o, m, i, n++, v, false, d, Tod(ref r), "O002");
                }
            }

            s.VasMask = 0;
            return;
        }

        if (s.VasMask != 0 && r.Chance(0.02 + (declining ? 0.05 : 0)))
        {
            var v = r.Next(Catalog.Vas.Length);
            for (var t = 0; t < Catalog.Vas.Length && (s.VasMask & (1 << v)) == 0; t++)
            {
                v = (v + 1) % Catalog.Vas.Length;
            }

            VasOrder(o, m, i, n++, v, false, from + r.Next(span), Tod(ref r), r.Chance(0.7) ? "O002" : "T001");
            s.VasMask &= (ushort)~(1 << v);
        }

        if (r.Chance(isNew ? 0.3 : declining ? 0.008 : 0.025))
        {
            var v = r.Next(Catalog.Vas.Length);
            if ((s.VasMask & (1 << v)) == 0)
            {
                VasOrder(o, m, i, n++, v, true, from + r.Next(span), Tod(ref r), isNew ? Catalog.Channels[s.Channel].Code : r.Chance(0.6) ? "O002" : "T001");
                s.VasMask |= (ushort)(1 << v);
            }
        }
    }

    private void Forwarding(int i, ref Subscriber s, MonthContext m, ChunkOutput o, ref Rng r, int k, int churnDay, int from, int lastAlive, int usableDays)
    {
        if (lastAlive < from)
        {
            return;
        }

        var span = lastAlive - from + 1;
        var signalMonth = s.DeclineLen >= 2 ? 1 : 0;
        var n = 0;
        if ((s.ChurnSignals & Subscriber.SignalForward) != 0 && k == signalMonth && s.FwdState < 2)
        {
            // A second SIM with a competitor: calls are forwarded there before the number is given up.
            var net = (byte)(r.NextDouble() switch { < 0.5 => 2, < 0.75 => 3, _ => 4 });
            WriteForward(o, m, i, n, true, from + r.Next(span), Tod(ref r), r.Chance(0.7) ? 0 : 2, net, ref r);
            s.FwdState = net;
            return;
        }

        if (churnDay > 0 || usableDays == 0)
        {
            return;
        }

        if (s.FwdState == 0)
        {
            // Non-churners forward too (to a family member's number on another network, or to voicemail).
            if (r.Chance(0.004 + 0.006 * Math.Max(0, s.Z)))
            {
                var net = (byte)(2 + r.Next(3));
                WriteForward(o, m, i, n, true, from + r.Next(span), Tod(ref r), r.Next(4), net, ref r);
                s.FwdState = net;
            }
            else if (r.Chance(0.012))
            {
                WriteForward(o, m, i, n, true, from + r.Next(span), Tod(ref r), 1 + r.Next(3), 1, ref r);
                s.FwdState = 1;
            }
        }
        else if (!(k != int.MaxValue && (s.ChurnSignals & Subscriber.SignalForward) != 0) && r.Chance(0.3))
        {
            WriteForward(o, m, i, n, false, from + r.Next(span), Tod(ref r), 0, s.FwdState, ref r);
            s.FwdState = 0;
        }
    }

    private static void WriteForward(ChunkOutput o, MonthContext m, int i, int k, bool set, int day, int tod, int type, byte net, ref Rng r)
    {
        var b = o[Ex.CallForwarding];
        var sb = b.Sb;
        EventId(sb, "FW", m, i, k).C();
        SubId(sb, i).C().Append(set ? "set" : "cancel").C().Timestamp(day, tod).C().Append(ForwardTypes[type]).C().Append(Networks[net]).C();
        if (set)
        {
            var prefixes = net switch { 2 => Catalog.CmccPrefixes, 3 => Catalog.CuccPrefixes, 4 => Catalog.CtccPrefixes, _ => Catalog.OwnPrefixes };
            sb.Append(prefixes[r.Next(prefixes.Length)]).Padded(r.Next(100_000_000), 8);
        }

        b.EndRow();
    }

    private void Roaming(int i, ref Subscriber s, MonthContext m, ChunkOutput o, ref Rng r, int churnDay, double factor, int usableFrom, int usableDays)
    {
        if (s.RoamEnd != 0)
        {
            // A session that was open at the last delivery is delivered again, with its end once known.
            if (churnDay > 0 && s.RoamEnd >= churnDay)
            {
                s.RoamEnd = Math.Max(s.RoamStart, churnDay - 1);
            }

            if (!m.Daily)
            {
                WriteRoaming(o[Ex.Roaming], i, in s, s.RoamEnd <= m.EndDay);
            }
            else if (s.RoamEnd <= m.EndDay)
            {
                // day by day, a session is delivered again only on the day it ends
                WriteRoaming(o.For(Ex.Roaming, Math.Max(s.RoamEnd, m.StartDay)), i, in s, ended: true);
            }

            if (s.RoamEnd <= m.EndDay)
            {
                s.RoamEnd = 0;
            }

            return;
        }

        if (usableDays == 0 || churnDay > 0)
        {
            return;
        }

        var pIntl = 0.006 * m.IntlRoam * (s.Tier == 2 ? 4 : s.Tier == 1 ? 2 : 1);
        var pDom = 0.045 * m.DomRoam * (s.Tier == 2 ? 1.6 : 1) * (0.5 + 0.5 * factor);
        int duration;
        if (r.Chance(pIntl))
        {
            s.RoamType = 1;
            s.RoamCountry = (byte)r.Next(Catalog.Countries.Length);
            duration = 3 + r.Next(14);
        }
        else if (r.Chance(pDom))
        {
            s.RoamType = 0;
            duration = 1 + r.Next(7);
        }
        else
        {
            return;
        }

        s.RoamSeq++;
        s.RoamStart = usableFrom + r.Next(usableDays);
        var end = s.RoamStart + duration - 1;
        var ended = end <= m.EndDay;
        s.RoamEnd = end;
        if (!m.Daily)
        {
            WriteRoaming(o[Ex.Roaming], i, in s, ended);
        }
        else
        {
            // the day it starts, open unless it ends that day; the day it ends, again with its end
            WriteRoaming(o.For(Ex.Roaming, s.RoamStart), i, in s, ended && end == s.RoamStart);
            if (ended && end > s.RoamStart)
            {
                WriteRoaming(o.For(Ex.Roaming, end), i, in s, ended: true);
            }
        }

        if (ended)
        {
            s.RoamEnd = 0;
        }
    }

    private void WriteRoaming(ExtractBuffer b, int i, in Subscriber s, bool ended)
    {
        var sb = b.Sb;
        var startTod = (int)(Rng.Hash(_seed, i, s.RoamSeq, 77) % 57_600) + 21_600;
        sb.Append("RM").Padded(i + 1L, 8).Padded(s.RoamSeq, 3).C();
        SubId(sb, i).C().Append(s.RoamType == 1 ? "international" : "domestic").C()
            .Append(s.RoamType == 1 ? Catalog.Countries[s.RoamCountry] : "CN").C().Timestamp(s.RoamStart, startTod).C();
        if (ended)
        {
            var endTod = (int)(Rng.Hash(_seed, i, s.RoamSeq, 78) % 57_600) + 21_600;
            if (s.RoamEnd == s.RoamStart && endTod <= startTod)
            {
                endTod = Math.Min(86_399, startTod + 3600);
            }

            sb.Timestamp(s.RoamEnd, endTod);
        }

        b.EndRow();
    }

    private void ServiceContacts(int i, ref Subscriber s, MonthContext m, ChunkOutput o, ref Rng r, int k, int churnDay, int from, int lastAlive, bool suspended)
    {
        if (lastAlive < from)
        {
            return;
        }

        var span = lastAlive - from + 1;
        var signalMonth = s.DeclineLen >= 2 ? 1 : 0;
        var churnComplaint = (s.ChurnSignals & Subscriber.SignalComplaint) != 0 && k == signalMonth;
        var p = 0.018 + 0.012 * Math.Max(0, s.Z) + (suspended ? 0.25 : 0);
        var count = churnComplaint ? (r.Chance(0.3) ? 2 : 1) : r.Chance(p) ? 1 : 0;
        for (var c = 0; c < count; c++)
        {
            var category = r.Pick(churnComplaint ? ChurnCategoryWeights : BaseCategoryWeights);
            var complaint = r.Chance(churnComplaint ? 0.75 : ComplaintShare[category]);
            var day = from + r.Next(span);
            var tod = Tod(ref r);
            var channel = ContactChannels[r.Pick(ContactChannelWeights)];
            var praise = c == 0 && Defect(i, m.Abs, Ex.ServiceContact, o, m.Index) >= 0;
            var close = (long)day * 86_400 + tod + 3600L * (1 + r.Next(72));
            var closed = r.Chance(0.85) && close <= (long)m.EndDay * 86_400 + 86_399;
            var remark = r.Chance(0.05) ? null : Catalog.Remarks[category][r.Next(Catalog.Remarks[category].Length)];
            var closeDay = (int)(close / 86_400);
            if (m.Daily && closed && closeDay > day)
            {
                // delivered the day it was made, still open, and again the day it was closed
                WriteContact(o.For(Ex.ServiceContact, day), m, i, c, day, tod, channel, praise, category, complaint, null, remark);
                WriteContact(o.For(Ex.ServiceContact, closeDay), m, i, c, day, tod, channel, praise, category, complaint, close, remark);
            }
            else
            {
                WriteContact(o.For(Ex.ServiceContact, day), m, i, c, day, tod, channel, praise, category, complaint, closed ? close : null, remark);
            }
        }
    }

    private static void WriteContact(ExtractBuffer b, MonthContext m, int i, int c, int day, int tod, string channel, bool praise,
        int category, bool complaint, long? close, string? remark)
    {
        var sb = b.Sb;
        EventId(sb, "SC", m, i, c).C();
        SubId(sb, i).C().Timestamp(day, tod).C().Append(channel).C();
        if (praise)
        {
            b.MarkDefect("unknown CATEGORY 'praise'", i);
            sb.Append("praise");
        }
        else
        {
            sb.Append(Catalog.ContactCategories[category]);
        }

        sb.C().Append(complaint ? 'Y' : 'N').C();
        if (close is { } at)
        {
            sb.Append("closed").C().Timestamp((int)(at / 86_400), (int)(at % 86_400)).C();
        }
        else
        {
            sb.Append("open").C().C();
        }

        if (remark is not null)
        {
            b.Lines += sb.Field(remark);
        }

        b.EndRow();
    }

    private void PointsTxns(int i, ref Subscriber s, MonthContext m, ChunkOutput o, ref Rng r, int prevBill, int churnDay, int from, int lastAlive, int usableFrom, int usableDays)
    {
        var n = 0;
        var earnDay = m.StartDay + 2;
        if (prevBill >= 100 && from <= earnDay && earnDay <= lastAlive)
        {
            // One point per yuan of last month's bill.
            PointsRow(o, m, i, n++, earnDay, 7200, "earn", prevBill / 100, null);
            s.Points += prevBill / 100;
        }

        if (churnDay > 0)
        {
            return;
        }

        if (s.Points >= 800 && usableDays > 0 && r.Chance(0.03 + 0.02 * s.Tier))
        {
            var item = Catalog.RedeemItems[r.Next(Catalog.RedeemItems.Length)];
            if (item.Points <= s.Points)
            {
                PointsRow(o, m, i, n++, usableFrom + r.Next(usableDays), Tod(ref r), "redeem", item.Points, item.Item);
                s.Points -= item.Points;
            }
        }

        // Year-end expiry of part of large old balances.
        if (m.Month == 12 && s.Points > 5000)
        {
            var expired = s.Points / 5;
            PointsRow(o, m, i, n, m.EndDay, 86_399, "expire", expired, null);
            s.Points -= expired;
        }
    }

    private void PointsRow(ChunkOutput o, MonthContext m, int i, int k, int day, int tod, string type, int points, string? item)
    {
        var b = o[Ex.Points];
        var sb = b.Sb;
        EventId(sb, "PT", m, i, k).C();
        SubId(sb, i).C().Timestamp(day, tod).C().Append(type).C();
        if (k == 0 && Defect(i, m.Abs, Ex.Points, o, m.Index) >= 0)
        {
            b.MarkDefect("negative POINTS (minimum 1)", i);
            sb.Append('-');
        }

        sb.Int(points).C();
        if (item is not null)
        {
            sb.Field(item);
        }

        b.EndRow();
    }

    private static void Handsets(int i, ref Subscriber s, MonthContext m, ChunkOutput o, ref Rng r, bool isNew, int churnDay, int usableFrom, int usableDays)
    {
        if (isNew)
        {
            s.HandsetSeen = s.ActivationDay;
        }

        if (isNew || m.IsFirst)
        {
            WriteHandset(o, i, in s);
        }

        if (!isNew && churnDay == 0 && usableDays > 0 && r.Chance(0.022))
        {
            s.HandsetIdx = PickHandset(ref r, s.BaseArpu * 1.2, m.Year, s.HandsetIdx);
            s.HandsetSeen = usableFrom + r.Next(usableDays);
            WriteHandset(o, i, in s);
        }
    }

    private static void WriteHandset(ChunkOutput o, int i, in Subscriber s)
    {
        var b = o[Ex.Handset];
        var h = Catalog.Handsets[s.HandsetIdx];
        SubId(b.Sb, i).C().Append(h.Tac).C().Append(h.Brand).C().Append(h.Model).C().Append(h.Is5G ? '1' : '0').C().Date(s.HandsetSeen);
        b.EndRow();
    }

    private void Agreements(int i, ref Subscriber s, MonthContext m, ChunkOutput o, ref Rng r, int churnDay, int usableFrom, int usableDays)
    {
        if (s.AgActive)
        {
            var startedNow = s.AgStart >= m.StartDay && s.AgStart <= m.EndDay;
            if (churnDay > 0)
            {
                WriteAgreement(o, i, in s, "cancelled");
                s.AgActive = false;
            }
            else if (s.AgEnd <= m.EndDay)
            {
                var old = s;
                if (AdvanceAgreement(i, ref s))
                {
                    WriteAgreement(o, i, in old, "renewed");
                    WriteAgreement(o, i, in s, "active");
                }
                else
                {
                    WriteAgreement(o, i, in s, "ended");
                }
            }
            else if (startedNow || m.IsFirst)
            {
                WriteAgreement(o, i, in s, "active");
            }
        }
        else if (churnDay == 0 && usableDays > 0 && r.Chance(s.Postpaid ? 0.01 : 0.004))
        {
            // A new commitment (handset upgrade, tariff lock or prepay bonus) signed this month.
            var options = s.Postpaid ? new[] { 0, 1, 2, 3 } : new[] { 4, 5 };
            s.AgPolicy = (byte)options[r.Next(options.Length)];
            s.AgSeq++;
            s.AgStart = usableFrom + r.Next(usableDays);
            s.AgEnd = DateOnly.FromDayNumber(s.AgStart).AddMonths(Catalog.Policies[s.AgPolicy].Months).AddDays(-1).DayNumber;
            s.AgActive = true;
            WriteAgreement(o, i, in s, "active");
        }
    }

    private static void WriteAgreement(ChunkOutput o, int i, in Subscriber s, string status)
    {
        var b = o[Ex.Agreement];
        var sb = b.Sb;
        var p = Catalog.Policies[s.AgPolicy];
        sb.Append("AG").Padded(i + 1L, 8).Padded(s.AgSeq, 2).C();
        SubId(sb, i).C().Append(p.Code).C().Append(p.Name).C().Append(p.Type).C().Date(s.AgStart).C().Date(s.AgEnd).C()
            .Money(p.Postpaid ? Catalog.Plans[s.Plan].FeeCents : 0).C().Append(status);
        b.EndRow();
    }

    private static void Broadband(int i, ref Subscriber s, MonthContext m, ChunkOutput o, ref Rng r, int churnDay, bool mobileSuspended, bool gone)
    {
        if (s.BbState == 0 && !gone && churnDay == 0 && r.Chance(0.003))
        {
            s.BbState = 1;
            s.BbPlan = (byte)r.Next(Catalog.BroadbandPlans.Length);
            s.BbStart = Math.Max(s.ActivationDay, m.StartDay + r.Next(m.Dim));
        }

        if (s.BbState is not (1 or 2))
        {
            return;
        }

        var endDay = 0;
        if (churnDay > 0 && r.Chance(0.6))
        {
            endDay = churnDay;
        }
        else if (r.Chance(gone ? 0.05 : 0.005) && s.BbStart < m.EndDay)
        {
            endDay = Math.Max(s.BbStart + 1, m.StartDay + r.Next(m.Dim));
        }

        s.BbState = endDay > 0 ? (byte)3 : mobileSuspended ? (byte)2 : (byte)1;
        var b = o[Ex.Broadband];
        var sb = b.Sb;
        var plan = Catalog.BroadbandPlans[s.BbPlan];
        sb.Append("BB").Padded(i + 1L, 8).C();
        CustId(sb, s.Customer).C();
        SubId(sb, i).C().Append(plan.Code).C().Int(plan.Mbps).C().Date(s.BbStart).C();
        if (endDay > 0)
        {
            sb.Date(endDay);
        }

        sb.C().Append(s.BbState switch { 3 => "cancelled", 2 => "suspended", _ => "active" });
        b.EndRow();
    }
}
