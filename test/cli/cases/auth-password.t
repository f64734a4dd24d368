# Password sign-in: a new database with a password from stdin, sign in, act as someone else, reset, sign out.
# env: CRM_USER=
$ crm init --admin alice --auth password --password-stdin --yes <<EOF
Sup3r secret pw!
EOF
database: sqlite:{TMP}/crm.sqlite
~ migrations applied: 0001_foundation(, \d{4}_\w+)*
admin created: alice
sign-in: password (run "crm login --user alice" first)
$ crm customers list
[stderr]
error E1602: you are not signed in
  run "crm login" (scripts and the scheduler use CRM_TOKEN: see "crm users token create")
[exit 4]
$ crm login --user alice --password-stdin <<EOF
not the password
EOF
[stderr]
error E1603: wrong user name or password
  5 wrong passwords in a row lock the account; if you forgot it, ask an admin to reset it (crm users passwd NAME)
[exit 4]
$ crm login --user alice --password-stdin <<EOF
Sup3r secret pw!
EOF
signed in as alice (until 2026-11-23 22:00:00)
$ crm users add bob --role sales
added user bob (sales)
$ crm users passwd bob --password-stdin <<EOF
bob
EOF
[stderr]
error E1609: password refused: shorter than 10 characters
  use at least 10 characters that do not contain the user name
[exit 2]
$ crm users passwd bob --password-stdin <<EOF
Temporary pass 9
EOF
reset bob's password: their sessions ended; they must change it at the next sign-in
$ crm --as bob customers list
code	name	parentCode	firstLevelCode	owner	grade	status	region	phone	lastFollowupAt
$ crm users token list
id	user	note	createdAt	createdBy	lastUsedAt	revokedAt
$ crm audit list --action users.reset-password
id	at	user	via	action	entity	entityId	after
6	2026-11-23 10:00:00	alice		users.reset-password	user	bob	{"mustChangePassword":true}
$ crm logout
signed out: alice
$ crm users list
[stderr]
error E1602: you are not signed in
  run "crm login" (scripts and the scheduler use CRM_TOKEN: see "crm users token create")
[exit 4]
$ crm login --user bob --password-stdin <<EOF
Temporary pass 9
EOF
signed in as bob (until 2026-11-23 22:00:00)
[stderr]
an admin reset your password: run "crm users passwd" first
$ crm customers list
[stderr]
error E1608: bob must change their password first
  run "crm users passwd"
[exit 4]
$ crm --as alice users list
[stderr]
error E1608: bob must change their password first
  run "crm users passwd"
[exit 4]
$ crm users passwd --password-stdin <<EOF
Bob's own password
EOF
[stderr]
error E1609: password refused: it contains the user name
  use at least 10 characters that do not contain the user name
[exit 2]
$ crm users passwd --password-stdin <<EOF
My own new secret
EOF
password changed for bob
$ crm customers list
code	name	parentCode	firstLevelCode	owner	grade	status	region	phone	lastFollowupAt
$ crm --as alice users list
[stderr]
error E1601: only an admin may act as another user: bob may not act as alice
  drop --user / --as and unset CRM_USER to act as yourself, or ask an admin
[exit 4]
$ crm whoami --json
~ \{"user":"bob","role":"sales","via":null,"mode":"password","by":"session","osAccount":"[^"]+","sessionExpiresAt":"2026-11-23T14:00:00\.000Z","mustChangePassword":false\}
