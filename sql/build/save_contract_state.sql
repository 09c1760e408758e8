-- grain: one row per extract read by the transforms: replaces its contract's fingerprint
delete from meta.contract_state where extract = $extract;
insert into meta.contract_state (extract, contract_hash, build_id) values ($extract, $contract_hash, $build_id);
