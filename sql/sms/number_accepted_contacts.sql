-- grain: one contact id per message the gateway accepted in this run (temporary table sms_accepted)
update sms_accepted set contact_id = nextval('ops.contact_id_seq')
