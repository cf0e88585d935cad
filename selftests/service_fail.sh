#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Failure policies, open and closed, for each cause: no helper, the helper
# says the service is failing, a verdict misses its deadline, the helper
# dies with packets held, the queue is full. Service "fo" (policy open,
# slot 4) takes UDP to 5001, "fc" (closed, slot 5) UDP to 5002.
#
#     netns $WL                    netns $HV
#     w0 10.9.0.2  <-------veth---> p0 10.9.0.1 (port), UDP echo :5001 :5002

source "$(dirname "$0")/service_lib.sh"
sf_require python3
sf_topo
sf_ctl "$HV" port add dev p0
sf_serve "$HV" udp 0.0.0.0 5001
sf_serve "$HV" udp 0.0.0.0 5002
svc add fo 4 policy open
svc add fc 5 policy closed
svc commit redirect fo 1 redirect dir in proto 17 dport 5001 \
	redirect fc 1 redirect dir in proto 17 dport 5002
declare -A port=([fo]=5001 [fc]=5002) policy=([fo]=open [fc]=closed)

for s in fo fc; do
	p=${port[$s]}
	what="${policy[$s]}"
	# want N: the echoes of N datagrams the policy lets through.
	want() { [ $s = fo ] && echo "$1" || echo 0; }

	check_eq "$what, no helper: $(want 1) echo" \
		"$(SF_PROBE_TIMEOUT=3 traffic "$WL" udp 10.9.0.1 $p 1 | cut -d' ' -f1)" \
		"$(want 1)"
	check_eq "$what, no helper: counted" \
		"$(svc_stat $s no_helper) $(svc_stat $s failed_$what)" "1 1"

	svc_serve $s f$s -f
	check_eq "$what, failing: state" "$(svc_stat $s state)" failing
	check_eq "$what, failing: $(want 1) echo" \
		"$(SF_PROBE_TIMEOUT=3 traffic "$WL" udp 10.9.0.1 $p 1 | cut -d' ' -f1)" \
		"$(want 1)"
	check_eq "$what, failing: the helper saw nothing" "$(svc_seen f$s)" 0
	check_eq "$what, failing: counted" \
		"$(svc_stat $s failing) $(svc_stat $s failed_$what)" "1 2"
	svc_stop f$s

	# A hung helper: the kernel enforces the 100 ms deadline.
	svc set $s timeout 100
	svc_serve $s h$s -v hang
	check_eq "$what, deadline: $(want 1) echo" \
		"$(SF_PROBE_TIMEOUT=5 traffic "$WL" udp 10.9.0.1 $p 1 | cut -d' ' -f1)" \
		"$(want 1)"
	check_eq "$what, deadline: the helper saw it" "$(svc_seen h$s)" 1
	check_eq "$what, deadline: counted" \
		"$(svc_stat $s timed_out) $(svc_stat $s deadline) $(svc_stat $s failed_$what) $(svc_stat $s held)" \
		"1 1 3 0"
	svc_stop h$s
	svc set $s timeout 60000

	# The helper dies with 3 packets held: all released at once.
	svc_serve $s k$s -v hang
	SF_PROBE_TIMEOUT=10 traffic "$WL" burst 10.9.0.1 $p 3 >"$SF_TMP/burst" &
	burst=$!
	svc_wait $s held 3
	check_eq "$what, helper killed: 3 held" "$(svc_stat $s held)" 3
	svc_stop k$s
	wait $burst
	check_eq "$what, helper killed: $(want 3) echoes" "$(cat "$SF_TMP/burst")" "$(want 3)"
	check_eq "$what, helper killed: counted, nothing held" \
		"$(svc_stat $s helper_gone) $(svc_stat $s failed_$what) $(svc_stat $s held) $(svc_stat $s state)" \
		"3 6 0 no-helper"

	# A queue of 2: the 3rd and 4th packets get the policy at once.
	svc set $s queue 2
	svc_serve $s q$s -v hang
	SF_PROBE_TIMEOUT=10 traffic "$WL" burst 10.9.0.1 $p 4 >"$SF_TMP/burst" &
	burst=$!
	svc_wait $s queue_full 2
	check_eq "$what, queue full: 2 held, 2 refused" \
		"$(svc_stat $s held) $(svc_stat $s queue_full) $(svc_stat $s most_held)" "2 2 3"
	svc_stop q$s
	wait $burst
	check_eq "$what, queue full: $(want 4) echoes in the end" \
		"$(cat "$SF_TMP/burst")" "$(want 4)"
	check_eq "$what, queue full: counted" \
		"$(svc_stat $s failed_$what) $(svc_stat $s helper_gone) $(svc_stat $s held)" "10 5 0"
	svc set $s queue 1024
done

# Binding: one helper per service.
svc_serve fo b1 -v hang
check_fails "a second helper" 1 \
	"bind: Device or resource busy: slotfilter: another socket is bound to this service" \
	ip netns exec "$HV" "$SVC" serve fo
svc_stop b1
svc commit
svc del fo
svc del fc
sf_done
