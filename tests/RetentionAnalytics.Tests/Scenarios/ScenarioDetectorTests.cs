namespace RetentionAnalytics.Tests.Scenarios;

/// <summary>
/// One dbt-style unit test per detector: a few input rows → the expected alerts, with the rows exactly at each
/// threshold deciding which side of the line they fall. The period is 2026-10 (month end 2026-10-31, cutoff
/// 2026-11-01 00:00).
/// </summary>
public sealed class ScenarioDetectorTests : IDisposable
{
    private readonly DetectorWarehouse w = new();

    public void Dispose() => w.Dispose();

    [Fact]
    public void S01_flags_base_members_with_no_usage_suspension_or_a_bill_drop_and_honours_the_limits()
    {
        foreach (var id in new[] { "A", "B", "C", "D", "E", "G" })
        {
            w.Insert("dw.snapshot_base", new { subscriber_id = id, base_date = "2026-01-01", city_code = "571" });
        }
        w.Feature("A", new { in_snapshot_base = true, days_since_last_usage = 15 });          // exactly 15 days: flagged
        w.Feature("B", new { in_snapshot_base = true, days_since_last_usage = 14 });          // one day short
        w.Feature("C", new { in_snapshot_base = true, arpu = 50.00m, arpu_avg_3m = 100.0 });  // exactly −50 %: not below
        w.Feature("D", new { in_snapshot_base = true, arpu = 49.99m, arpu_avg_3m = 100.0 });  // below: flagged
        w.Feature("E", new { in_snapshot_base = true, status = "suspended", is_suspended = true, days_suspended = 9 });
        w.Feature("F", new { days_since_last_usage = 40 });                                   // not a base member
        w.Feature("G", new { in_snapshot_base = true, status = "churned", days_since_last_usage = 40 });

        var alerts = w.Detect("s01_snapshot_non_retention");

        Assert.Equal(["A", "D", "E"], alerts.Keys.Order());
        Assert.Contains("no usage for 15 days", alerts["A"].Evidence);
        Assert.Contains("bill 3-month average 100.00 → this month 49.99, −50%", alerts["D"].Evidence);
        Assert.Contains("suspended for 9 days", alerts["E"].Evidence);
        Assert.Contains("since 2026-01-01", alerts["A"].Evidence);

        w.Parameters.Set("s01_snapshot_non_retention", "include_suspended", "false", "admin");
        Assert.Equal(["A", "D"], w.Detect("s01_snapshot_non_retention").Keys.Order());
    }

    [Fact]
    public void S02_flags_star_level_drops_of_at_least_the_minimum_and_upgrades_only_when_asked()
    {
        w.Feature("down1", new { star_level = 4, star_level_previous = 5, star_level_change = -1 });
        w.Feature("down2", new { star_level = 3, star_level_previous = 5, star_level_change = -2 });
        w.Feature("same", new { star_level = 5, star_level_previous = 5, star_level_change = 0 });
        w.Feature("up1", new { star_level = 6, star_level_previous = 5, star_level_change = 1 });
        w.Feature("gone", new { status = "churned", star_level = 0, star_level_previous = 5, star_level_change = -5 });

        Assert.Equal(["down1", "down2"], w.Detect("s02_membership_level_change").Keys.Order());

        w.Parameters.Set("s02_membership_level_change", "min_level_drop", "2", "admin");
        var alerts = w.Detect("s02_membership_level_change");
        Assert.Equal(["down2"], alerts.Keys);
        Assert.Equal("star level Five stars → Three stars (down 2)", alerts["down2"].Evidence);

        w.Parameters.Set("s02_membership_level_change", "min_level_drop", "1", "admin");
        w.Parameters.Set("s02_membership_level_change", "include_upgrades", "true", "admin");
        Assert.Equal(["down1", "down2", "up1"], w.Detect("s02_membership_level_change").Keys.Order());
    }

    [Fact]
    public void S03_flags_high_and_mid_value_subscribers_with_an_offnet_forwarding_in_force_at_month_end()
    {
        w.Feature("high", new { value_tier = "high" });
        w.Feature("mid", new { value_tier = "mid" });
        w.Feature("low", new { value_tier = "low" });
        w.Feature("ended", new { value_tier = "high" });
        w.Feature("own", new { value_tier = "high" });
        w.Insert("dw.fct_call_forwarding",
            new { forwarding_id = "F1", subscriber_id = "high", action = "set", action_time = "2026-10-03 09:00:00", forward_type = "unconditional", target_network = "cucc", is_offnet = true },
            // cancelled exactly at the cutoff: still in force at the end of 2026-10-31
            new { forwarding_id = "F2", subscriber_id = "mid", action = "set", action_time = "2026-10-30 09:00:00", forward_type = "busy", target_network = "ctcc", is_offnet = true, active_until = "2026-11-01 00:00:00" },
            new { forwarding_id = "F3", subscriber_id = "low", action = "set", action_time = "2026-10-03 09:00:00", forward_type = "unconditional", target_network = "cucc", is_offnet = true },
            new { forwarding_id = "F4", subscriber_id = "ended", action = "set", action_time = "2026-09-03 09:00:00", forward_type = "unconditional", target_network = "cucc", is_offnet = true, active_until = "2026-10-31 23:59:59" },
            new { forwarding_id = "F5", subscriber_id = "own", action = "set", action_time = "2026-10-03 09:00:00", forward_type = "unconditional", target_network = "own", is_offnet = false });

        var alerts = w.Detect("s03_forwarding_offnet");

        Assert.Equal(["high", "mid"], alerts.Keys.Order());
        Assert.Equal("forwards calls (unconditional) to another network (cucc) since 2026-10-03, 28 days", alerts["high"].Evidence);
        Assert.True(alerts["high"].Score > alerts["mid"].Score);

        w.Parameters.Set("s03_forwarding_offnet", "min_days_in_force", "28", "admin");
        Assert.Equal(["high"], w.Detect("s03_forwarding_offnet").Keys);
        w.Parameters.Set("s03_forwarding_offnet", "min_days_in_force", "29", "admin");
        Assert.Empty(w.Detect("s03_forwarding_offnet"));
    }

    [Fact]
    public void S04_flags_a_bill_strictly_below_the_drop_limit_of_the_three_month_average()
    {
        w.Feature("at", new { value_tier = "high", arpu = 60.00m, arpu_avg_3m = 100.0 });      // exactly −40 %: not flagged
        w.Feature("below", new { value_tier = "high", arpu = 59.99m, arpu_avg_3m = 100.0 });
        w.Feature("nobill", new { value_tier = "mid", arpu_avg_3m = 30.0 });                   // no bill: 0, average at the minimum
        w.Feature("small", new { value_tier = "mid", arpu = 0m, arpu_avg_3m = 29.99 });        // average under the minimum
        w.Feature("low", new { value_tier = "low", arpu = 0m, arpu_avg_3m = 200.0 });

        var alerts = w.Detect("s04_bill_drop");

        Assert.Equal(["below", "nobill"], alerts.Keys.Order());
        Assert.Equal("bill 3-month average 100.00 → this month 59.99, −40%", alerts["below"].Evidence);
        Assert.Equal("bill 3-month average 30.00 → this month 0.00, −100%", alerts["nobill"].Evidence);
        Assert.Equal(1.0, alerts["nobill"].Score, 6);
        Assert.Contains("\"bill_avg_3m\":100.0", alerts["below"].EvidenceJson);
    }

    [Fact]
    public void S05_flags_suspended_lines_that_owe_at_least_the_minimum_for_at_least_the_days()
    {
        w.Feature("owes1", new { status = "suspended", is_suspended = true, days_suspended = 10, amount_owed = 1.00m });
        w.Feature("owes099", new { status = "suspended", is_suspended = true, days_suspended = 30, amount_owed = 0.99m });
        w.Feature("active", new { amount_owed = 50m });
        w.Feature("long", new { status = "suspended", is_suspended = true, days_suspended = 9, amount_owed = 85.30m });

        var alerts = w.Detect("s05_arrears_suspension");
        Assert.Equal(["long", "owes1"], alerts.Keys.Order());
        Assert.Equal("suspended for non-payment for 9 days, owes 85.30", alerts["long"].Evidence);

        w.Parameters.Set("s05_arrears_suspension", "min_days_suspended", "10", "admin");
        Assert.Equal(["owes1"], w.Detect("s05_arrears_suspension").Keys);
    }

    [Fact]
    public void S06_flags_prepaid_balances_strictly_below_the_threshold()
    {
        w.Feature("below", new { payment_type = "prepaid", balance = 4.99m });
        w.Feature("at", new { payment_type = "prepaid", balance = 5.00m });
        w.Feature("post", new { payment_type = "postpaid", balance = 0m });
        w.Feature("gone", new { payment_type = "prepaid", status = "churned", balance = 0m });

        var alerts = w.Detect("s06_small_balance");
        Assert.Equal(["below"], alerts.Keys);
        Assert.Equal("prepaid balance 4.99, below 5.00", alerts["below"].Evidence);
    }

    [Fact]
    public void S07_flags_active_prepaid_lines_whose_balance_does_not_cover_the_month_end_fee()
    {
        w.Feature("short", new { payment_type = "prepaid", balance = 37.99m, fee_due_month_end = 38.00m, shortfall = 0.01m });
        w.Feature("even", new { payment_type = "prepaid", balance = 38.00m, fee_due_month_end = 38.00m, shortfall = 0.00m });
        w.Feature("suspended", new { payment_type = "prepaid", status = "suspended", is_suspended = true, balance = 0m, fee_due_month_end = 38m, shortfall = 38m });

        var alerts = w.Detect("s07_month_end_suspension");
        Assert.Equal(["short"], alerts.Keys);
        Assert.Equal("balance 37.99 below the month-end fee 38.00, short 0.01", alerts["short"].Evidence);
    }

    [Fact]
    public void S08_flags_commitments_ending_within_the_days_unless_a_renewal_binds_beyond()
    {
        foreach (var id in new[] { "in30", "in31", "cancelled", "renewed", "gone" })
        {
            w.Feature(id, id == "gone" ? new { status = "churned" } : null);
        }
        w.Insert("dw.fct_agreement",
            new { agreement_id = "AG1", subscriber_id = "in30", policy_type = "handset_subsidy", start_date = "2024-11-30", end_date = "2026-11-30", monthly_commitment = 58m, status = "active" },
            new { agreement_id = "AG2", subscriber_id = "in31", policy_type = "tariff_lock", start_date = "2025-12-01", end_date = "2026-12-01", monthly_commitment = 58m, status = "active" },
            new { agreement_id = "AG3", subscriber_id = "cancelled", policy_type = "bundle", start_date = "2025-11-10", end_date = "2026-11-10", status = "cancelled" },
            new { agreement_id = "AG4", subscriber_id = "renewed", policy_type = "bundle", start_date = "2025-11-10", end_date = "2026-11-10", status = "renewed" },
            new { agreement_id = "AG5", subscriber_id = "renewed", policy_type = "bundle", start_date = "2026-11-11", end_date = "2027-11-10", status = "active" },
            new { agreement_id = "AG6", subscriber_id = "gone", policy_type = "bundle", start_date = "2025-11-10", end_date = "2026-11-10", status = "active" });

        var alerts = w.Detect("s08_contract_expiry");

        Assert.Equal(["in30"], alerts.Keys);
        Assert.Equal("agreement AG1 (handset_subsidy) ends 2026-11-30, in 30 days; monthly commitment 58.00", alerts["in30"].Evidence);
    }

    [Fact]
    public void S09_greets_subscribers_roaming_at_the_end_of_the_period()
    {
        foreach (var id in new[] { "abroad", "home", "back", "edge" })
        {
            w.Feature(id);
        }
        w.Insert("dw.fct_roaming",
            new { roaming_id = "R1", subscriber_id = "abroad", roaming_type = "international", country_code = "JP", start_time = "2026-10-28 08:00:00" },
            new { roaming_id = "R2", subscriber_id = "home", roaming_type = "domestic", country_code = "CN", start_time = "2026-10-31 22:00:00" },
            new { roaming_id = "R3", subscriber_id = "back", roaming_type = "international", country_code = "TH", start_time = "2026-10-01 08:00:00", end_time = "2026-10-31 23:00:00" },
            // ends exactly at the cutoff: still roaming at the end of the last day
            new { roaming_id = "R4", subscriber_id = "edge", roaming_type = "international", country_code = "DE", start_time = "2026-10-20 08:00:00", end_time = "2026-11-01 00:00:00" });

        var alerts = w.Detect("s09_roaming_care");
        Assert.Equal(["abroad", "edge", "home"], alerts.Keys.Order());
        Assert.Equal("roaming (international, JP) since 2026-10-28, day 4", alerts["abroad"].Evidence);

        w.Parameters.Set("s09_roaming_care", "roaming_types", "international", "admin");
        Assert.Equal(["abroad", "edge"], w.Detect("s09_roaming_care").Keys.Order());
        w.Parameters.Set("s09_roaming_care", "min_days_roaming", "5", "admin");
        Assert.Equal(["edge"], w.Detect("s09_roaming_care").Keys);
    }

    [Fact]
    public void S10_flags_large_unredeemed_points_balances_without_a_recent_redemption()
    {
        // the balance and the newest redemption at the month end, as the feature mart holds them
        w.Feature("at", new { points_balance = 2000L });
        w.Feature("under", new { points_balance = 1999L });
        w.Feature("recent", new { points_balance = 2500L, last_redeemed_at = new DateTime(2025, 11, 1) });
        w.Feature("old", new { points_balance = 2500L, last_redeemed_at = new DateTime(2025, 10, 31, 23, 59, 59) });

        var alerts = w.Detect("s10_points_redemption");

        // a redemption exactly 12 months before the cutoff is recent; one second earlier is not
        Assert.Equal(["at", "old"], alerts.Keys.Order());
        Assert.Equal("2,000 points unredeemed, never redeemed", alerts["at"].Evidence);
        Assert.Equal("2,500 points unredeemed, last redemption 2025-10-31", alerts["old"].Evidence);
    }

    [Fact]
    public void S11_flags_data_use_strictly_below_the_share_of_the_plan_allowance()
    {
        w.Insert("dw.dim_plan",
            new { plan_code = "P18", plan_name = "Prepaid 18", data_allowance_mb = 2048 },
            new { plan_code = "P08", plan_name = "Basic", data_allowance_mb = 500 });
        w.Feature("below", new { plan_code = "P18", data_mb = 102.3m });   // 5 % of 2,048 MB is 102.4 MB
        w.Feature("at", new { plan_code = "P18", data_mb = 102.4m });
        w.Feature("small", new { plan_code = "P08", data_mb = 0m });      // allowance under the minimum
        w.Feature("none", new { plan_code = "P18" });                     // no usage row: 0 MB

        var alerts = w.Detect("s11_low_data_usage");
        Assert.Equal(["below", "none"], alerts.Keys.Order());
        Assert.Equal("used 102.3 MB of a 2,048 MB allowance (5.0%), plan P18", alerts["below"].Evidence);
    }

    [Fact]
    public void S12_flags_unsubscriptions_within_the_lookback_window()
    {
        w.Insert("dw.dim_vas_product", new { vas_code = "V01", vas_name = "Music VIP" }, new { vas_code = "V02", vas_name = "Video member" });
        foreach (var id in new[] { "inside", "outside", "two" })
        {
            w.Feature(id);
        }
        w.Insert("dw.fct_vas_order",
            // the 30-day window of 2026-10 starts 2026-10-02 00:00
            new { order_id = "O1", subscriber_id = "inside", vas_code = "V01", action = "unsubscribe", order_time = "2026-10-02 00:00:00", order_date = "2026-10-02" },
            new { order_id = "O2", subscriber_id = "outside", vas_code = "V01", action = "unsubscribe", order_time = "2026-10-01 23:59:59", order_date = "2026-10-01" },
            new { order_id = "O3", subscriber_id = "two", vas_code = "V01", action = "unsubscribe", order_time = "2026-10-05 10:00:00", order_date = "2026-10-05" },
            new { order_id = "O4", subscriber_id = "two", vas_code = "V02", action = "unsubscribe", order_time = "2026-10-20 10:00:00", order_date = "2026-10-20" },
            new { order_id = "O5", subscriber_id = "two", vas_code = "V02", action = "subscribe", order_time = "2026-10-25 10:00:00", order_date = "2026-10-25" });

        var alerts = w.Detect("s12_vas_unsubscribe");
        Assert.Equal(["inside", "two"], alerts.Keys.Order());
        Assert.Equal("unsubscribed 2 value-added service(s) in the last 30 days: Music VIP (2026-10-05), Video member (2026-10-20)", alerts["two"].Evidence);

        w.Parameters.Set("s12_vas_unsubscribe", "min_unsubscriptions", "2", "admin");
        Assert.Equal(["two"], w.Detect("s12_vas_unsubscribe").Keys);
    }

    [Fact]
    public void S13_flags_churn_scores_at_or_above_the_threshold_and_nothing_without_scores()
    {
        Assert.Empty(w.Detect("s13_churn_warning"));

        w.Feature("at", new { value_tier = "high" });
        w.Feature("under");
        w.Insert("det.churn_score",
            new { subscriber_id = "at", period = "2026-10-01", city_code = "571", score = 0.1, model_id = "m1", top_factors = "arpu_trend", scored_at = "2026-11-02 03:00:00" },
            new { subscriber_id = "under", period = "2026-10-01", city_code = "571", score = 0.0999, model_id = "m1", scored_at = "2026-11-02 03:00:00" },
            new { subscriber_id = "under", period = "2026-09-01", city_code = "571", score = 0.9, model_id = "m1", scored_at = "2026-10-02 03:00:00" });

        var alerts = w.Detect("s13_churn_warning");
        Assert.Equal(["at"], alerts.Keys);
        Assert.Equal("churn score 0.10 (model m1): arpu_trend", alerts["at"].Evidence);
        Assert.Equal("high", alerts["at"].ValueTier);
    }

    [Fact]
    public void S14_flags_prepaid_deposits_running_dry_while_traffic_falls()
    {
        w.Feature("dry", new { payment_type = "prepaid", balance = 29.99m, fee_due_month_end = 30m, voice_trend = 0.69, data_trend = 1.0 });
        w.Feature("at", new { payment_type = "prepaid", balance = 10m, fee_due_month_end = 30m, voice_trend = 0.70, data_trend = 0.70 });
        w.Feature("covered", new { payment_type = "prepaid", balance = 30m, fee_due_month_end = 30m, voice_trend = 0.1, data_trend = 0.1 });

        var alerts = w.Detect("s14_prepaid_deposit_traffic");
        Assert.Equal(["dry"], alerts.Keys);
        Assert.Equal("balance 29.99 covers 1.00 months of the 30.00 fee; top-ups this period 0.00; voice −31% vs the 3-month average", alerts["dry"].Evidence);
    }

    [Fact]
    public void S15_flags_long_standing_subscribers_whose_loyalty_score_is_below_the_limit()
    {
        w.Feature("thin", new { tenure_months = 24 });                                       // 16 points
        w.Feature("steady", new { tenure_months = 60 });                                     // 40 points
        w.Feature("young", new { tenure_months = 23 });                                      // under the tenure minimum
        w.Feature("switching", new { tenure_months = 60, has_active_forwarding_offnet = true }); // 40 − 30 = 10
        w.Feature("bundled", new { tenure_months = 24, vas_active = 1 });                    // a service active at the month end

        var alerts = w.Detect("s15_loyalty");
        Assert.Equal(["switching", "thin"], alerts.Keys.Order());
        Assert.StartsWith("loyalty 16/100 (at risk): tenure 24 months, no contract, no bundle, star level 0", alerts["thin"].Evidence);
        Assert.EndsWith(", forwards to another network", alerts["switching"].Evidence);

        // 45 months is exactly 30 points: not below a limit of 30; 44 months is
        w.Feature("t45", new { tenure_months = 45 });
        w.Feature("t44", new { tenure_months = 44 });
        w.Parameters.Set("s15_loyalty", "max_loyalty_pct", "30", "admin");
        Assert.Equal(["switching", "t44", "thin"], w.Detect("s15_loyalty").Keys.Order());
    }

    [Fact]
    public void A1_flags_recent_activations_that_start_badly()
    {
        void Subscriber(string id, string activated, object features)
        {
            w.Feature(id, features);
            w.Insert("dw.fct_subscriber_month", new { month = "2026-10-01", subscriber_id = id, city_code = "571", activation_date = activated });
        }
        Subscriber("quiet", "2026-08-01", new { active_days = 3 });          // inside the 3-month cohort, at the limit
        Subscriber("busy", "2026-08-01", new { active_days = 4 });
        Subscriber("older", "2026-07-31", new { active_days = 0 });          // exactly 3 months before the month end: outside
        Subscriber("left", "2026-09-10", new { status = "churned" });
        Subscriber("owing", "2026-10-05", new { amount_owed = 20m });

        var alerts = w.Detect("a1_new_subscriber_quality");
        Assert.Equal(["left", "owing", "quiet"], alerts.Keys.Order());
        Assert.Equal("activated 2026-08-01 (2 month(s) ago): 3 active day(s) this month", alerts["quiet"].Evidence);
        Assert.Contains("churned already", alerts["left"].Evidence);
        Assert.Contains("owes 20.00", alerts["owing"].Evidence);
    }

    [Fact]
    public void A2_lists_subscribers_whose_last_agreement_ended_in_the_lookback_without_renewal()
    {
        foreach (var id in new[] { "recent", "edge", "old", "renewed", "running" })
        {
            w.Feature(id, new { arpu = 40m, arpu_avg_3m = 80.0 });
        }
        w.Insert("dw.fct_agreement",
            new { agreement_id = "AG1", subscriber_id = "recent", policy_type = "bundle", start_date = "2025-10-30", end_date = "2026-10-30", status = "ended" },
            // 90 days before 2026-10-31 is 2026-08-02
            new { agreement_id = "AG2", subscriber_id = "edge", policy_type = "bundle", start_date = "2025-08-02", end_date = "2026-08-02", status = "ended" },
            new { agreement_id = "AG3", subscriber_id = "old", policy_type = "bundle", start_date = "2025-08-01", end_date = "2026-08-01", status = "ended" },
            new { agreement_id = "AG4", subscriber_id = "renewed", policy_type = "bundle", start_date = "2025-09-01", end_date = "2026-09-01", status = "renewed" },
            new { agreement_id = "AG5", subscriber_id = "renewed", policy_type = "bundle", start_date = "2026-09-02", end_date = "2027-09-01", status = "active" },
            new { agreement_id = "AG6", subscriber_id = "running", policy_type = "bundle", start_date = "2025-10-31", end_date = "2026-10-31", status = "active" });

        var alerts = w.Detect("a2_policy_agreement_expiry");
        Assert.Equal(["edge", "recent"], alerts.Keys.Order());
        Assert.Equal("agreement AG1 (bundle) ended 2026-10-30, 1 days ago, not renewed; bill 3-month average 80.00 → this month 40.00", alerts["recent"].Evidence);
    }

    [Fact]
    public void A3_flags_a_shrinking_set_of_active_value_added_services()
    {
        w.Insert("dw.dim_vas_product", new { vas_code = "V01", vas_name = "Music VIP" });
        // active services at the end of july and of october, as the feature mart counts them from the orders below
        var july = DetectorWarehouse.Period.AddMonths(-3);
        w.Feature("shrunk", new { vas_active = 0 });
        w.Feature("shrunk", new { vas_active = 1 }, july);
        w.Feature("late", new { vas_active = 0 });
        w.Feature("late", new { vas_active = 0 }, july);
        w.Feature("steady", new { vas_active = 1 });
        w.Feature("steady", new { vas_active = 1 }, july);
        w.Insert("dw.fct_vas_order",
            new { order_id = "O1", subscriber_id = "shrunk", vas_code = "V01", action = "subscribe", order_time = "2026-05-01 10:00:00" },
            new { order_id = "O2", subscriber_id = "shrunk", vas_code = "V01", action = "unsubscribe", order_time = "2026-10-05 10:00:00" },
            // subscribed exactly at the earlier cutoff (2026-08-01 00:00): not active before
            new { order_id = "O3", subscriber_id = "late", vas_code = "V01", action = "subscribe", order_time = "2026-08-01 00:00:00" },
            new { order_id = "O4", subscriber_id = "late", vas_code = "V01", action = "unsubscribe", order_time = "2026-10-05 10:00:00" },
            new { order_id = "O5", subscriber_id = "steady", vas_code = "V01", action = "subscribe", order_time = "2026-05-01 10:00:00" });

        var alerts = w.Detect("a3_vas_analysis");
        Assert.Equal(["shrunk"], alerts.Keys);
        Assert.Equal("active value-added services 1 → 0 over 3 months; dropped: Music VIP", alerts["shrunk"].Evidence);
    }

    [Fact]
    public void A4_lists_base_members_now_worse_off_than_at_the_base_date()
    {
        // a member's tier and star level at the base, as the feature mart carries them
        var baseDate = new DateTime(2026, 1, 1);
        w.Feature("lost", new { in_snapshot_base = true, status = "churned", star_level = 3, base_date = baseDate, base_value_tier = "mid", base_star_level = 3 });
        w.Feature("tier", new { in_snapshot_base = true, value_tier = "mid", star_level = 5, base_date = baseDate, base_value_tier = "high", base_star_level = 5 });
        w.Feature("star2", new { in_snapshot_base = true, star_level = 3, base_date = baseDate, base_value_tier = "mid", base_star_level = 5 });
        w.Feature("star1", new { in_snapshot_base = true, star_level = 4, base_date = baseDate, base_value_tier = "mid", base_star_level = 5 });

        var alerts = w.Detect("a4_snapshot_base_monitoring");
        Assert.Equal(["lost", "star2", "tier"], alerts.Keys.Order());
        Assert.Equal("snapshot-base member since 2026-01-01 (tier mid, star level 3): churned this month", alerts["lost"].Evidence);
        Assert.EndsWith("value tier now mid", alerts["tier"].Evidence);

        w.Parameters.Set("a4_snapshot_base_monitoring", "include_churned", "false", "admin");
        Assert.Equal(["star2", "tier"], w.Detect("a4_snapshot_base_monitoring").Keys.Order());
    }
}
