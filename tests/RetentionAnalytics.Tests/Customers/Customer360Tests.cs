using RetentionAnalytics.Core.Customers;

namespace RetentionAnalytics.Tests.Customers;

/// <summary>The 360 view against independent SQL on the warehouse; scope, audit and reveal.</summary>
[Collection(CustomersCollection.Name)]
public sealed class Customer360Tests(CustomersFixture f)
{
    private const string Window = "(select cast(as_of_month - interval 11 month as date) from dw.as_of)";

    private CustomerView OpenFocus(CustomerViewer? viewer = null) =>
        f.View.Open(f.Focus, viewer ?? CustomersFixture.AgentHangzhou) ?? throw new Xunit.Sdk.XunitException("focus subscriber not found");

    [Fact]
    public void The_profile_and_plan_are_the_current_version_with_its_customer()
    {
        var view = OpenFocus();
        var expected = f.Warehouse.Query<(string Customer, string Name, string Msisdn, string Plan, string PlanName, string Status, string Tier, string District)>("""
            select s.customer_id, c.customer_name, s.msisdn, s.plan_code, p.plan_name, s.status, s.value_tier, s.district_code
            from dw.dim_subscriber as s
            join dw.dim_customer as c using (customer_id)
            join dw.dim_plan as p using (plan_code)
            where s.subscriber_id = $id and s.is_current
            """, new { id = f.Focus }).Single();

        var p = view.Profile;
        Assert.Equal([IdentifierField.IdNumber], view.MaskedFields);
        Assert.Equal((expected.Customer, expected.Name, expected.Msisdn, expected.Plan, expected.PlanName, expected.Status, expected.Tier, expected.District),
            (p.CustomerId, p.CustomerName, p.Msisdn, p.PlanCode, p.PlanName, p.Status, p.ValueTier, p.DistrictCode));
        Assert.Equal("571", p.CityCode);
        Assert.Equal(f.Warehouse.Scalar<DateOnly>("select as_of_date from dw.as_of"), p.AsOfDate);
        // age in whole years at the as-of date
        var birth = f.Warehouse.Scalar<DateOnly>("select birth_date from dw.dim_customer where customer_id = $c", new { c = expected.Customer });
        var age = p.AsOfDate.Year - birth.Year - (p.AsOfDate < birth.AddYears(p.AsOfDate.Year - birth.Year) ? 1 : 0);
        Assert.Equal(age, p.Age);
    }

    [Fact]
    public void The_history_lists_every_scd2_version_newest_first()
    {
        var expected = f.Warehouse.Query<(DateOnly From, string Plan, string Status)>(
            "select valid_from, plan_code, status from dw.dim_subscriber where subscriber_id = $id order by valid_from desc", new { id = f.Focus });

        var history = OpenFocus().History;

        Assert.Equal(expected, history.Select(h => (h.ValidFrom, h.PlanCode!, h.Status!)));
        Assert.True(history[0].IsCurrent);
        Assert.Null(history[0].ValidTo);
        Assert.All(history.Skip(1), h => Assert.NotNull(h.ValidTo));
    }

    [Fact]
    public void Agreements_show_days_left_at_the_as_of_date()
    {
        var expected = f.Warehouse.Query<(string Id, int DaysLeft)>("""
            select a.agreement_id, cast(a.end_date - o.as_of_date as integer)
            from dw.fct_agreement as a cross join dw.as_of as o where a.subscriber_id = $id order by 1
            """, new { id = f.Focus });

        var agreements = OpenFocus().Agreements;

        Assert.NotEmpty(expected);
        Assert.Equal(expected, agreements.Select(a => (a.AgreementId, a.DaysLeft!.Value)).OrderBy(a => a.AgreementId, StringComparer.Ordinal));
        // active agreements first
        Assert.Equal(agreements.OrderByDescending(a => a.IsActive).Select(a => a.AgreementId), agreements.Select(a => a.AgreementId));
    }

    [Fact]
    public void Bills_payments_usage_and_recharges_cover_the_twelve_months_up_to_the_as_of_month()
    {
        var view = OpenFocus();
        var args = new { id = f.Focus };

        var bills = f.Warehouse.Query<(DateOnly Month, decimal Total)>(
            $"select bill_month, total_amount from dw.fct_bill where subscriber_id = $id and bill_month >= {Window} order by 1", args);
        Assert.InRange(bills.Count, 1, 12);
        Assert.Equal(bills, view.Bills.Select(b => (b.BillMonth, b.TotalAmount!.Value)));

        var usage = f.Warehouse.Query<(DateOnly Month, decimal Voice, decimal Data, decimal Offnet)>(
            $"select usage_month, voice_minutes, data_mb, offnet_minutes from dw.fct_usage_month where subscriber_id = $id and usage_month >= {Window} order by 1", args);
        Assert.Equal(usage, view.Usage.Select(u => (u.UsageMonth, u.VoiceMinutes!.Value, u.DataMb!.Value, u.OffnetMinutes!.Value)));

        Assert.Equal(
            f.Warehouse.Scalar<decimal>($"select coalesce(sum(amount), 0) from dw.fct_payment where subscriber_id = $id and payment_date >= {Window}", args),
            view.Payments.Sum(p => p.Amount ?? 0));
        Assert.Equal(
            f.Warehouse.Scalar<decimal>($"select coalesce(sum(amount), 0) from dw.fct_recharge where subscriber_id = $id and recharge_date >= {Window}", args),
            view.Recharges.Sum(r => r.Amount ?? 0));
        Assert.Equal(view.Payments.OrderByDescending(p => p.PaidAt).Select(p => p.PaymentId), view.Payments.Select(p => p.PaymentId));
    }

    [Fact]
    public void The_state_section_agrees_with_balance_points_forwarding_arrears_and_handset()
    {
        var state = OpenFocus().State;
        var args = new { id = f.Focus };

        Assert.Equal(
            f.Warehouse.Query<decimal?>("select balance from dw.fct_balance where subscriber_id = $id order by balance_date desc limit 1", args).SingleOrDefault(),
            state.Balance);
        // the points balance is the running sum of the transactions
        Assert.Equal(
            f.Warehouse.Query<long?>("select cast(sum(points_delta) as bigint) from dw.fct_points where subscriber_id = $id having count(*) > 0", args).SingleOrDefault(),
            state.PointsBalance);
        Assert.Equal(
            f.Warehouse.Scalar<bool>("select count(*) > 0 from dw.call_forwarding_state where subscriber_id = $id and has_active_forwarding_offnet", args),
            state.ForwardingOffnet);
        Assert.Equal(
            f.Warehouse.Scalar<bool>("select coalesce(bool_or(is_suspended), false) from dw.account_state where subscriber_id = $id", args),
            state.IsSuspended);
        Assert.Equal(
            f.Warehouse.Query<string?>("select model from dw.fct_handset where subscriber_id = $id", args).SingleOrDefault(),
            state.HandsetModel);
    }

    [Fact]
    public void Vas_orders_and_service_contacts_agree_with_the_warehouse()
    {
        var view = OpenFocus();
        var args = new { id = f.Focus };

        // active services: those whose newest order is a subscription
        var active = f.Warehouse.Query<string>("""
            select vas_code from dw.fct_vas_order where subscriber_id = $id
            group by vas_code having arg_max(action, order_time) = 'subscribe' order by 1
            """, args);
        Assert.Equal(active, view.ActiveVas.Select(v => v.VasCode).Order(StringComparer.Ordinal));

        var contacts = f.Warehouse.Query<string>(
            $"select contact_id from dw.fct_service_contact where subscriber_id = $id and (is_open or contact_date >= {Window}) order by 1", args);
        Assert.Equal(contacts, view.ServiceContacts.Select(c => c.ContactId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Alerts_of_the_three_newest_periods_come_latest_first_with_names_in_the_users_language()
    {
        var view = OpenFocus(CustomersFixture.AgentHangzhou with { Language = "de" });

        Assert.Equal(2, view.Alerts.Count);
        Assert.Equal(["s04_bill_drop", "s08_contract_expiry"], view.Alerts.Select(a => a.ScenarioId));
        Assert.Equal("Plötzlicher Rechnungsrückgang", view.Alerts[0].ScenarioName);
        Assert.Equal(f.NewestAlertPeriod, view.Alerts[0].Period);
        Assert.StartsWith("bill 3-month average", view.Alerts[0].Evidence);
        Assert.Equal(1, view.OpenAlerts);
        Assert.Equal("中高端话费突减预警", OpenFocus(CustomersFixture.AgentHangzhou with { Language = "zh" }).Alerts[0].ScenarioName);
    }

    [Fact]
    public void Tasks_and_retention_contacts_are_the_subscribers_own_split_into_calls_and_sms()
    {
        var view = OpenFocus();

        var task = Assert.Single(view.Tasks);
        Assert.Equal(501, task.TaskId);
        // the campaign by its title: the scenario's name and the month, not the key it was created with
        var title = f.Warehouse.Scalar<string>("select name_en from det.scenario where scenario_id = 's04_bill_drop'") + " · ";
        Assert.StartsWith(title, task.CampaignName);
        Assert.True(task.IsOpen);
        Assert.Equal([9001L], view.Calls.Select(c => c.ContactId));
        Assert.Equal([9002L], view.Sms.Select(c => c.ContactId));
        Assert.All(view.RetentionContacts, c => Assert.StartsWith(title, c.CampaignName));
    }

    [Fact]
    public void A_successful_open_is_audited_as_a_customer_view_of_the_subscriber()
    {
        OpenFocus();

        var entry = f.Audit.Query(username: "agent.hz1", action: Customer360.ViewAction, limit: 1).Single();
        Assert.Equal(f.Focus, entry.Target);
        Assert.Equal("ok", entry.Outcome);
        Assert.Equal("10.0.0.7", entry.ClientIp);
    }

    [Fact]
    public void A_ningbo_manager_opening_a_hangzhou_subscriber_gets_not_found_and_the_attempt_is_audited_as_denied()
    {
        Assert.Null(f.View.Open(f.Focus, CustomersFixture.ManagerNingbo));
        Assert.Null(f.View.Reveal(f.Focus, IdentifierField.Msisdn, CustomersFixture.ManagerNingbo));

        var denied = f.Audit.Query(username: "manager.nb", action: Customer360.DeniedAction);
        Assert.Contains(denied, e => e.Target == f.Focus && e.Outcome == "denied" && e.Detail == "customer_view");
        Assert.Contains(denied, e => e.Target == f.Focus && e.Outcome == "denied" && e.Detail == "reveal:msisdn");
        Assert.DoesNotContain(f.Audit.Query(username: "manager.nb"), e => e.Outcome == "ok");
    }

    [Fact]
    public void An_unknown_or_malformed_id_is_not_found_like_an_out_of_scope_one()
    {
        Assert.Null(f.View.Open("S99999999", CustomersFixture.Analyst));
        Assert.Null(f.View.Open("' or 1=1 --", CustomersFixture.Analyst));
        Assert.Null(f.View.Open(null, CustomersFixture.Analyst));

        var failed = f.Audit.Query(username: "analyst", action: Customer360.ViewAction).Where(e => e.Outcome == "failed").ToList();
        Assert.Contains(failed, e => e is { Target: null, Detail: "not_found" });
        // what was typed as an id may be a phone or ID number: neither it nor malformed text reaches the audit trail
        Assert.DoesNotContain(f.Audit.Query(username: "analyst"), e => e.Target is "S99999999" || (e.Target?.Contains('\'') ?? false));
    }

    [Fact]
    public void Identifiers_are_masked_for_a_user_who_does_not_work_with_customers_and_a_reveal_shows_one_and_is_audited()
    {
        var full = OpenFocus(CustomersFixture.AgentHangzhou).Profile with
        {
            IdNumber = f.Warehouse.Scalar<string>("select c.id_number from dw.dim_customer c join dw.dim_subscriber s using (customer_id) where s.subscriber_id = $id and s.is_current", new { id = f.Focus }),
        };
        var masked = f.View.Open(f.Focus, CustomersFixture.Analyst)!;

        Assert.True(masked.IdentifiersMasked);
        Assert.Equal(IdentifierMask.Phone(full.Msisdn), masked.Profile.Msisdn);
        Assert.Equal(IdentifierMask.Imsi(full.Imsi), masked.Profile.Imsi);
        Assert.Equal(IdentifierMask.IdNumber(full.IdNumber), masked.Profile.IdNumber);
        Assert.Equal(IdentifierMask.Name(full.CustomerName), masked.Profile.CustomerName);
        Assert.NotEqual(full.Msisdn, masked.Profile.Msisdn);
        Assert.NotEqual(full.IdNumber, masked.Profile.IdNumber);

        var revealed = f.View.Reveal(f.Focus, IdentifierField.IdNumber, CustomersFixture.Analyst);

        Assert.Equal(full.IdNumber, revealed);
        var entry = f.Audit.Query(username: "analyst", action: Customer360.RevealAction, limit: 1).Single();
        Assert.Equal(f.Focus, entry.Target);
        Assert.Equal("field=id_number", entry.Detail);
        Assert.Equal("ok", entry.Outcome);
        // the audit trail holds identifiers only, never the revealed value
        Assert.DoesNotContain(f.Audit.Query(), e => (e.Detail ?? "").Contains(full.IdNumber!) || (e.Target ?? "").Contains(full.Msisdn!));
    }

    [Fact]
    public void An_agent_talks_to_the_customer_by_name_and_number_but_sees_the_national_id_masked_until_a_reveal_which_is_audited()
    {
        var idNumber = f.Warehouse.Scalar<string>(
            "select c.id_number from dw.dim_customer c join dw.dim_subscriber s using (customer_id) where s.subscriber_id = $id and s.is_current",
            new { id = f.Focus });
        var agent = CustomersFixture.AgentHangzhou with { Username = "agent.hz2" };

        var view = OpenFocus(agent);

        Assert.Equal(IdentifierMask.IdNumber(idNumber), view.Profile.IdNumber);
        Assert.NotEqual(idNumber, view.Profile.IdNumber);
        Assert.DoesNotContain('*', view.Profile.Msisdn!);
        Assert.Equal(idNumber, f.View.Reveal(f.Focus, IdentifierField.IdNumber, agent));
        var entry = f.Audit.Query(username: "agent.hz2", action: Customer360.RevealAction, limit: 1).Single();
        Assert.Equal((f.Focus, "field=id_number"), (entry.Target, entry.Detail));
    }
}
