-- grain: one row per extract: the fingerprint of the contract staging was last built with
select extract as Extract, contract_hash as ContractHash
from meta.contract_state
