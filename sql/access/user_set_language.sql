-- grain: one account's preferred language (applied at the next sign-in)
update ops.app_user
set preferred_language = $preferred_language
where username = $username
