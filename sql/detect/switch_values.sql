-- grain: one row per scenario an administrator switched on or off: the switch in force.
select scenario_id, enabled from det.scenario_switch
