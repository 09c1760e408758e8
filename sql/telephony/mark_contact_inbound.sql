-- grain: the contact row of a saved inbound call: its channel says the customer called
update ops.contact set channel = 'inbound_call' where contact_id = $contact_id
