/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * slotfilter: per-port chains of 12 filter slots, configured over generic
 * netlink.
 *
 * Overview
 * --------
 *
 * A "port" is a net_device that slotfilter is attached to. Every port has,
 * in each direction (ingress = received by the device, egress = sent by it),
 * an ordered chain of SLOTFILTER_NUM_SLOTS slots that the kernel walks from
 * slot 0 upwards. Slots 0-3 belong to the platform (slot 2 is the stateful
 * firewall); slots 4-11 hold inspection services. An empty slot costs
 * nothing. State is per network namespace: every command acts on the
 * namespace of the socket that sends it, and a port's ifindex is looked up
 * there.
 *
 * The family is resolved by name, SLOTFILTER_GENL_NAME, through the generic
 * netlink controller; the module is loaded on demand when that happens. Its
 * version is SLOTFILTER_GENL_VERSION, bumped on any incompatible change.
 *
 * Every request is validated strictly: unknown attributes and attributes of
 * the wrong type or length are rejected with -EINVAL, values out of range
 * with -ERANGE, each with an extended ack (NLMSGERR_ATTR_MSG and
 * NLMSGERR_ATTR_OFFS) saying which attribute and why; a missing attribute
 * gives -EINVAL with NLMSGERR_ATTR_MISS_TYPE. Every rejection made by
 * slotfilter itself carries an extack message; userspace should print it.
 * Two come from the generic netlink core, without a message: unknown
 * commands (-EOPNOTSUPP), and configuration commands from a caller without
 * CAP_NET_ADMIN in the user namespace that owns its network namespace
 * (-EPERM).
 *
 * Commands
 * --------
 *
 * SLOTFILTER_CMD_PORT_ADD: attach to a device (NLM_F_REQUEST | NLM_F_ACK)
 *
 *    SLOTFILTER_PORT_A_IFINDEX: NLA_U32, required, >= 1
 *
 *    Registers the port's ingress and egress hooks with all slots empty.
 *    Errors: -ENODEV no device with that ifindex in the caller's namespace,
 *    -EEXIST the device is already a port, -ENOMEM.
 *
 * SLOTFILTER_CMD_PORT_DEL: detach from a device (NLM_F_REQUEST | NLM_F_ACK)
 *
 *    SLOTFILTER_PORT_A_IFINDEX: NLA_U32, required, >= 1
 *
 *    Unregisters the hooks and forgets the port and its counters.
 *    Errors: -ENOENT the device is not a port (or does not exist).
 *
 *    A port is also detached by the kernel when its device is unregistered
 *    (deleted, or moved to another namespace) and when its namespace exits.
 *
 * SLOTFILTER_CMD_PORT_GET: read ports (doit, or dump with NLM_F_DUMP)
 *
 *    Request: SLOTFILTER_PORT_A_IFINDEX (NLA_U32) for one port; with
 *    NLM_F_DUMP every port of the namespace is returned, one message
 *    (NLM_F_MULTI) per port, in ascending ifindex order, or only the port
 *    SLOTFILTER_PORT_A_IFINDEX names if the request carries it. A dump that does not fit one buffer resumes with the next
 *    port; a port attached or detached meanwhile may or may not appear.
 *    Errors: -ENOENT the device is not a port. Needs no privilege.
 *
 *    Each reply message has the command SLOTFILTER_CMD_PORT_GET and:
 *
 *    SLOTFILTER_PORT_A_IFINDEX: NLA_U32
 *    SLOTFILTER_PORT_A_IFNAME: NLA_NUL_STRING, the device's name
 *    SLOTFILTER_PORT_A_DIRS: NLA_NESTED, two entries, one per direction,
 *        each an NLA_NESTED whose type is its index (0, 1) holding:
 *        SLOTFILTER_DIR_A_DIRECTION: NLA_U8, enum slotfilter_direction
 *        SLOTFILTER_DIR_A_PACKETS: NLA_U64, packets seen by the port's hook
 *        SLOTFILTER_DIR_A_BYTES: NLA_U64, their bytes (skb->len at the hook)
 *        SLOTFILTER_DIR_A_DROPS: NLA_U64, packets a slot dropped
 *        SLOTFILTER_DIR_A_STOLEN: NLA_U64, packets a slot kept (held)
 *        SLOTFILTER_DIR_A_SLOTS: NLA_NESTED, SLOTFILTER_NUM_SLOTS entries,
 *            each an NLA_NESTED whose type is its index, holding:
 *            SLOTFILTER_SLOT_A_INDEX: NLA_U8, 0 .. SLOTFILTER_NUM_SLOTS - 1
 *            SLOTFILTER_SLOT_A_FILTER: NLA_U8, enum slotfilter_filter_kind
 *            SLOTFILTER_SLOT_A_PACKETS: NLA_U64, packets the slot judged
 *            SLOTFILTER_SLOT_A_BYTES: NLA_U64, their bytes
 *            SLOTFILTER_SLOT_A_DROPS: NLA_U64, packets the slot dropped
 *
 *    Counters are 64-bit and count from attach. A packet is counted by the
 *    port in the direction it was seen, by every occupied slot that judged
 *    it, and as a drop by the slot that dropped it and by its direction.
 *    Empty slots judge nothing, so their counters stay at zero.
 *
 *        SLOTFILTER_PORT_A_TAGS: NLA_NESTED, the port's tags, each a
 *            SLOTFILTER_PORT_A_TAG (NLA_NUL_STRING), in the order added
 *
 * SLOTFILTER_CMD_PORT_TAG, SLOTFILTER_CMD_PORT_UNTAG: (NLM_F_ACK)
 *
 *    SLOTFILTER_PORT_A_IFINDEX: NLA_U32, required
 *    SLOTFILTER_PORT_A_TAG: NLA_NUL_STRING, required: 1 to
 *        SLOTFILTER_NAME_MAX - 1 characters of [A-Za-z0-9_.-]
 *
 *    Tags name groups of ports for the firewall's applied-to; a change
 *    takes effect on the next packet, established flows included: each
 *    flow of the port is judged again by the ruleset on its next packet
 *    (whatever SLOTFILTER_FW_F_REEVALUATE says) and dropped if no longer
 *    allowed, so tagging a port "quarantine" cuts what rules applied to
 *    that tag forbid. Errors: -ENOENT not a port, or (untag)
 *    the port does not carry the tag; -EEXIST the port carries it already;
 *    -ENOSPC SLOTFILTER_PORT_TAGS_MAX on the port, or SLOTFILTER_TAGS_MAX
 *    distinct tags in the namespace; -EINVAL a bad name.
 *
 * Address sets
 * ------------
 *
 * A set is a named list of IPv4 and IPv6 prefixes that rules match by name
 * (SLOTFILTER_ADDR_A_SET). Changing its elements takes effect on the next
 * packet without recompiling the rules. An element is an NLA_NESTED of
 * enum slotfilter_addr_attr with SLOTFILTER_ADDR_A_ADDR (4 or 16 bytes)
 * and SLOTFILTER_ADDR_A_PLEN (default: 32 or 128); an address with bits set
 * beyond its prefix length is rejected.
 *
 * SLOTFILTER_CMD_SET_ADD: SLOTFILTER_SET_A_NAME (required, named like a
 *    tag) and any number of SLOTFILTER_SET_A_ELEM. -EEXIST if it exists.
 * SLOTFILTER_CMD_SET_DEL: SLOTFILTER_SET_A_NAME. -ENOENT if unknown,
 *    -EBUSY while a rule of the ruleset uses it.
 * SLOTFILTER_CMD_SET_ELEM_ADD, SLOTFILTER_CMD_SET_ELEM_DEL: NAME and one or
 *    more ELEM; all or nothing. Adding an element already there is not an
 *    error; deleting one that is not there is (-ENOENT, nothing changes).
 *    -ENOSPC beyond SLOTFILTER_SET_ELEMS_MAX elements.
 * SLOTFILTER_CMD_SET_GET: dump (NAME filters to one set). Each message
 *    holds SLOTFILTER_SET_A_NAME and as many ELEMs as fit; the first
 *    message of a set also carries NELEMS and USERS. A set's elements come
 *    in ascending order, IPv4 first.
 *
 * The firewall (slot 2)
 * ---------------------
 *
 * One ruleset per namespace, applied on every port, walked first match
 * wins; with no rule, default allow and no flag set, slot 2 is empty on
 * every port. An allowed packet that opens a connection creates a flow
 * (port, protocol, both endpoints); later packets of the flow, in either
 * direction, pass without a rule. Reject answers TCP with a RST and other
 * protocols with ICMP (or ICMPv6) administratively prohibited, sent back
 * out of the port towards the sender. Non-IP frames (ARP) and IPv6
 * neighbour discovery (ICMPv6 133-137) pass unless SLOTFILTER_FW_F_NONIP_DROP.
 *
 * SLOTFILTER_CMD_FW_REPLACE: replace the ruleset (NLM_F_ACK)
 *
 *    SLOTFILTER_FW_A_GENERATION: NLA_U32, optional: the generation the
 *        caller read; -EBUSY if another commit came first
 *    SLOTFILTER_FW_A_DEFAULT: NLA_U8, allow (default) or drop
 *    SLOTFILTER_FW_A_FLAGS: NLA_U32, SLOTFILTER_FW_F_*
 *    SLOTFILTER_FW_A_TIMEOUTS: NLA_NESTED of NLA_U32 seconds (1 to 10 days)
 *        typed by enum slotfilter_timeout; an absent one gets its default
 *        (seconds: tcp-syn 120, tcp-established 432000,
 *        tcp-fin 120, tcp-close 10, udp 60, icmp 30, other 600). A flow
 *        keeps the timeout it was last refreshed with until its next packet
 *    SLOTFILTER_FW_A_FLOW_MAX: NLA_U32, 1 to 16777216; absent: 65536 (not
 *        the current value: a ruleset is always replaced whole)
 *    SLOTFILTER_FW_A_RULE: NLA_NESTED, repeated at the top level (one per
 *        rule, in order; up to SLOTFILTER_RULES_MAX), of:
 *        SLOTFILTER_RULE_A_ID: NLA_U32, required, unique, >= 1
 *        SLOTFILTER_RULE_A_DIRECTION: NLA_U8, enum slotfilter_rule_dir
 *        SLOTFILTER_RULE_A_APPLIED_TO: NLA_NESTED of repeated
 *            SLOTFILTER_APPLIED_A_IFINDEX (an attached port) and
 *            SLOTFILTER_APPLIED_A_TAG; absent: every port
 *        SLOTFILTER_RULE_A_SRC, SLOTFILTER_RULE_A_DST: NLA_NESTED, a
 *            prefix (ADDR, PLEN) or a set (SET); absent: any
 *        SLOTFILTER_RULE_A_PROTO: NLA_U8; absent: any
 *        SLOTFILTER_RULE_A_SPORT, SLOTFILTER_RULE_A_DPORT: NLA_NESTED
 *            range (MIN, MAX); need PROTO tcp, udp, udplite or sctp
 *        SLOTFILTER_RULE_A_ICMP_TYPE, SLOTFILTER_RULE_A_ICMP_CODE: NLA_U8;
 *            need PROTO icmp or icmpv6
 *        SLOTFILTER_RULE_A_ACTION: NLA_U8, required
 *        SLOTFILTER_RULE_A_LOG: NLA_FLAG: send a SLOTFILTER_CMD_FW_LOG
 *            event on every packet the rule judges
 *
 *    The whole ruleset is validated and compiled before it replaces the
 *    old one with a single pointer swap: a packet sees either ruleset, never
 *    a mix; on any error nothing changes and the extack names the rule
 *    (NLMSGERR_ATTR_OFFS points into it). Counters of a rule id present in
 *    both rulesets carry over. A rule with a prefix of one family matches
 *    only that family; PROTO icmp matches IPv4, icmpv6 IPv6. Existing flows
 *    stay (default), or with SLOTFILTER_FW_F_REEVALUATE each is judged again
 *    by the new ruleset on its next packet and dropped if no longer
 *    allowed. Changing FLOW_MAX does not drop flows; new ones are refused
 *    until the count falls below it. Raising it grows the flow table's
 *    hash buckets to FLOW_MAX / 2 (at most 2^20, never shrunk), moving
 *    the flows it holds; -ENOMEM ("no memory to grow the flow table to
 *    flow-max") refuses the commit. The reply (before the ack) is a
 *    SLOTFILTER_CMD_FW_GET message with the new generation.
 *
 *    The whole ruleset travels in one message: about 100 bytes a rule. A
 *    sender raises its socket's send buffer to fit (SO_SNDBUFFORCE needs
 *    CAP_NET_ADMIN in the initial user namespace; otherwise SO_SNDBUF is
 *    capped by net.core.wmem_max, 212992 by default: some 2,000 rules).
 *
 * SLOTFILTER_CMD_FW_GET: doit: the ruleset's GENERATION, DEFAULT, FLAGS,
 *    TIMEOUTS (all), FLOW_MAX, NRULES, MEMORY (bytes of the compiled
 *    ruleset), FLOWS (tracked now), FLOWS_REFUSED (table full), FLOW_SIZE
 *    (bytes per tracked flow). Dump: one message per rule, in order, each
 *    with GENERATION and a SLOTFILTER_FW_A_RULE holding the rule as
 *    configured plus PACKETS, BYTES, FLOWS (created) and LAST_HIT. A
 *    commit during a dump sets NLM_F_DUMP_INTR.
 *
 * SLOTFILTER_CMD_FW_RESET: zero the counters of every rule, or of
 *    SLOTFILTER_FW_A_RULE_ID only (-ENOENT if no such rule).
 *
 * SLOTFILTER_CMD_FLOW_GET: dump the tracked flows (SLOTFILTER_FLOW_A_IFINDEX
 *    filters to one port), each message one flow, always with every one of:
 *    IFINDEX, DIRECTION (the opener's), PROTO, SRC and DST (the opener and
 *    its peer), SPORT, DPORT (0 for protocols without ports; the echo id
 *    for ICMP), STATE (SLOTFILTER_TCP_NONE for all but TCP), EXPIRES,
 *    RULE_ID, ID.
 *
 * SLOTFILTER_CMD_FW_LOG: multicast on SLOTFILTER_GENL_MCGRP_EVENTS to
 *    listeners in the namespace: a packet judged by a rule with LOG:
 *    SLOTFILTER_FLOW_A_RULE_ID, IFINDEX, DIRECTION, PROTO, SRC, DST, SPORT,
 *    DPORT, ACTION (always), and SUPPRESSED (only when not 0) when the rate
 *    limit (100 events a second per namespace, bursts of 200) dropped
 *    events before this one.
 *
 * Services (slots 4-11) and redirect rules
 * ----------------------------------------
 *
 * A service is a named inspection service of the namespace, registered at
 * one slot (SLOTFILTER_SLOT_SERVICE_FIRST .. LAST, one service per slot),
 * and served from userspace by a "helper" socket that binds to it. While
 * a service exists, its slot is occupied on every port of the namespace
 * (PORT_GET shows SLOTFILTER_FILTER_SERVICE there). Its redirect rules,
 * part of the firewall's ruleset (SLOTFILTER_FW_A_REDIRECT below), pick
 * the packets it receives; a service without redirect rules receives
 * nothing. A packet that a redirect rule matches with action redirect is
 * held by the kernel and sent to the helper (SLOTFILTER_CMD_PACKET); the
 * helper's verdict (SLOTFILTER_CMD_VERDICT) drops it or lets it continue
 * its walk at the next slot, without running the earlier slots again.
 * No match, or a match with action skip, continues at once.
 *
 * The failure policy (open: continue, closed: drop) applies, and is
 * counted by cause, when: no helper is bound; the helper marked the
 * service failing (SERVICE_HEALTH); the service holds queue-max packets
 * already, or the PACKET message could not be queued on the helper's
 * socket (both counted as queue full); a verdict misses its deadline
 * (timeout ms after the packet was held; the kernel enforces it); the
 * helper's socket closes (every packet it held is released at once:
 * helper gone).
 *
 * Service teardown (SERVICE_DEL, netns exit, rmmod) and the removal of a
 * port's device drop the packets held for it, whatever the policy: there
 * is nowhere left to send them.
 *
 * Ordering: while packets of a flow are held at a service, later packets
 * of that flow are held (and sent) behind them, even when the flow has a
 * cached verdict. A helper may answer in any order: a packet whose flow
 * has an older packet still waiting for its verdict waits behind it
 * (answered, out of reach of a second verdict, which counts as late),
 * and leaves right after it, so every flow leaves in the order it came.
 * When the older packet's deadline passes, it gets the failure policy
 * and the answered ones behind it their own verdicts. The failure policy
 * "open" for a full queue or a failing service lets a packet pass ahead
 * of its flow's held packets.
 *
 * Flow verdicts (continue-flow, drop-flow, reject-flow: kept as drop-flow) are kept in the flow table
 * entry (FLOW_GET) of the packet's connection, per service (not per slot:
 * a service that moves keeps them), for the life of the flow: its later
 * packets, in both directions, continue or are dropped at the service's
 * slot without a round trip and without looking at the redirect rules
 * (STAT_FLOW_CONTINUED, STAT_FLOW_DROPPED); they are not counted as
 * redirected. A ruleset commit does not clear them. A service creates the flow
 * entry when the firewall did not (slot 2 empty), bounded by the flow
 * table's FLOW_MAX; such an entry has RULE_ID 0. Packets that make no
 * flow (ICMP errors and non-echo ICMP, non-first fragments) and non-IP
 * frames are never cached; non-IP frames are never redirected.
 *
 * GSO packets are segmented (in software, checksums completed) before
 * they are held, unless the helper bound with SLOTFILTER_SERVICE_F_GSO;
 * each segment is then a packet of its own. A packet whose checksum was
 * left to the device gets it completed before it is sent, so the helper
 * sees valid checksums (except in GSO packets taken whole, whose L4
 * checksum holds the pseudo-header sum only).
 *
 * A held packet is not walked through the port's hook again from slot 0:
 * it resumes at the next slot, but the device's other hooks (taps, tc)
 * see it again, and the port's direction counters count it again.
 *
 * SLOTFILTER_CMD_SERVICE_ADD: (NLM_F_ACK)
 *
 *    SLOTFILTER_SERVICE_A_NAME: NLA_NUL_STRING, required: 1 to
 *        SLOTFILTER_NAME_MAX - 1 characters of [A-Za-z0-9_.-]
 *    SLOTFILTER_SERVICE_A_SLOT: NLA_U8, required, 4 to 11
 *    SLOTFILTER_SERVICE_A_FAILURE_POLICY: NLA_U8, enum
 *        slotfilter_failure_policy; default open
 *    SLOTFILTER_SERVICE_A_TIMEOUT: NLA_U32, ms, 1 to 60000; default 1000
 *    SLOTFILTER_SERVICE_A_QUEUE_MAX: NLA_U32, 1 to 65536; default 1024
 *    SLOTFILTER_SERVICE_A_COPY: NLA_U32, bytes of each packet (from its
 *        network header) sent to the helper, 0 = all (default)
 *
 *    Fills the slot on every port at once. Errors: -EEXIST a service of
 *    that name, or another service at that slot; -ENOSPC (cannot happen
 *    with one service per slot, kept for future limits).
 *
 * SLOTFILTER_CMD_SERVICE_SET: (NLM_F_ACK) NAME (required) and any option
 *    of SERVICE_ADD, SLOT included. The new options take effect for the
 *    next packet; a new timeout applies to packets held from then on. A
 *    new slot empties the old one and fills the new one on every port with
 *    one publish: a packet sees the service at one slot or the other,
 *    never both; packets held already resume after the slot they were held
 *    at. -ENOENT no such service, -EEXIST the slot is taken.
 *
 * SLOTFILTER_CMD_SERVICE_DEL: (NLM_F_ACK) NAME. -ENOENT no such service,
 *    -EBUSY redirect rules of the ruleset name it (replace the ruleset
 *    without them first). Held packets are dropped; the helper is unbound.
 *
 * SLOTFILTER_CMD_SERVICE_GET: doit with NAME, or dump (one message per
 *    service, in slot order). Needs no privilege. Each reply: NAME, SLOT,
 *    FAILURE_POLICY, TIMEOUT, QUEUE_MAX, COPY, STATE (enum
 *    slotfilter_service_state), FLAGS (of the bind), NREDIRECTS (redirect
 *    rules of the ruleset for it), HELD (packets held now), MOST_HELD,
 *    STATS (NLA_NESTED of NLA_U64 typed by enum slotfilter_service_stat)
 *    and LATENCY (NLA_NESTED of SLOTFILTER_LATENCY_BUCKETS NLA_U64 typed
 *    by bucket index i + 1, padding typed SLOTFILTER_LATENCY_BUCKETS + 1:
 *    verdicts that came after less than 2^i microseconds
 *    (bucket 0: < 1 us), and at least 2^(i-1); the last bucket takes all
 *    slower ones).
 *
 * SLOTFILTER_CMD_SERVICE_BIND: (NLM_F_ACK) sent by the helper: NAME and
 *    FLAGS (SLOTFILTER_SERVICE_F_*). Binds the sending socket (its netlink
 *    port id) to the service: PACKET messages go to it from now on. A
 *    socket may bind to several services; the bind lasts until the socket
 *    closes (there is no unbind command; binding again from the same
 *    socket only changes FLAGS). The service's state becomes up.
 *    -EBUSY another socket is bound, -ENOENT no such service.
 *
 * SLOTFILTER_CMD_SERVICE_HEALTH: (NLM_F_ACK) sent by the bound helper:
 *    NAME, HEALTH (enum slotfilter_service_health) and optionally REASON
 *    (NLA_NUL_STRING, up to SLOTFILTER_REASON_MAX - 1 characters: why,
 *    for people; passed on in the SERVICE_EVENT). While failing,
 *    every packet its redirect rules pick gets the failure policy
 *    (cause: failing); packets held already wait for their verdicts.
 *    -EPERM the sender is not the service's bound socket.
 *
 * SLOTFILTER_CMD_SERVICE_ALERT: (NLM_F_ACK) sent by the bound helper:
 *    NAME and ALERT (NLA_NUL_STRING, 1 to SLOTFILTER_ALERT_MAX - 1
 *    characters: by convention one line of JSON, an object, such as an
 *    IPS alert or a web reputation block). The kernel does not read it:
 *    it multicasts it as it is, in a SERVICE_ALERT event (below), rate
 *    limited per service like FW_LOG (100 a second, bursts of 200; an
 *    alert over the limit is counted, not sent, and not an error).
 *    -EPERM the sender is not the service's bound socket, -EINVAL an
 *    empty or too long ALERT.
 *
 * SLOTFILTER_CMD_PACKET: kernel to the bound helper, unicast, never
 *    acknowledged. Attributes (enum slotfilter_packet_attr): ID (NLA_U64,
 *    unique per service), IFINDEX, IFNAME, TAGS (NLA_NESTED of repeated
 *    SLOTFILTER_PORT_A_TAG, only when the port has tags), DIRECTION, SLOT,
 *    SERVICE (its name), RULE_ID (the redirect rule), FLOW_ID (0: no flow
 *    entry), L3PROTO (NLA_U16, the ethertype, host order), LENGTH (NLA_U32,
 *    the whole packet from its network header), GENERATION (the ruleset's),
 *    PAYLOAD (NLA_BINARY: the packet from its network header, up to COPY
 *    bytes). The helper's socket must be able to receive messages of the
 *    largest packet plus about 200 bytes.
 *
 * SLOTFILTER_CMD_VERDICT: (NLM_F_ACK optional) sent by the bound helper:
 *    NAME and one or more SLOTFILTER_SERVICE_A_VERDICT (NLA_NESTED, enum
 *    slotfilter_verdict_attr, repeated, up to as many as fit): ID
 *    (required), VERDICT (required, enum slotfilter_verdict), PAYLOAD
 *    (optional, NLA_BINARY: a replacement for the whole packet from its
 *    network header: an IPv4 or IPv6 packet of the original's version
 *    whose header's total/payload length matches the attribute's length,
 *    at most 65535 bytes; the IPv4 header checksum is recomputed, L4
 *    checksums are the helper's job). Every item is checked before any is
 *    applied: a malformed item fails the whole message (-EINVAL, the
 *    extack points at it) and nothing happens. An ID that is not held (it
 *    met its deadline, or was answered already) is skipped and counted
 *    (STAT_LATE). -EPERM the sender is not the bound socket.
 *    REJECT drops the packet (STAT_DROPPED) and answers its sender as the
 *    firewall's reject action does: a TCP RST for TCP, ICMP
 *    administratively prohibited otherwise, sent back through the port
 *    past every slot. REJECT_FLOW does the same and caches drop-flow.
 *    Replacements go with continue verdicts only; others ignore them.
 *
 * SLOTFILTER_CMD_SERVICE_EVENT: multicast on SLOTFILTER_GENL_MCGRP_EVENTS
 *    to listeners in the service's namespace whenever a service comes,
 *    goes, moves, or its state (enum slotfilter_service_state) changes.
 *    Attributes of enum slotfilter_service_attr: NAME and SLOT (the
 *    service's slot, after the change), STATE and PREV_STATE (after and
 *    before), CAUSE (enum slotfilter_service_cause), and:
 *        REASON, with cause health, when the helper gave one;
 *        RELEASED (NLA_U32), with causes helper gone and deleted: the
 *            packets it held, let go (helper gone: by their verdict if
 *            they had one already, else by the failure policy) or dropped
 *            (deleted);
 *        PREV_SLOT, with cause moved.
 *    The causes and their states: added (no helper -> no helper),
 *    deleted (any -> no helper), moved (unchanged), bound (no helper ->
 *    up; only the first bind of a socket: binding again from it changes
 *    nothing), helper gone (up or failing -> no helper), health (up ->
 *    failing or failing -> up; a HEALTH that repeats the state sends
 *    nothing). Services torn down with their namespace or the module send
 *    nothing. Events are not rate limited; one that cannot be allocated
 *    is lost (the change itself never fails for it). The deleted event
 *    also goes, unicast, to the socket that was bound to the service: it
 *    serves nothing any more (a service added again under the name needs
 *    a new SERVICE_BIND).
 *
 * SLOTFILTER_CMD_SERVICE_ALERT: the event, multicast like SERVICE_EVENT:
 *    NAME, SLOT, ALERT (as the helper sent it) and SUPPRESSED (NLA_U32,
 *    only when not 0: alerts of this service that the rate limit dropped
 *    before this one).
 *
 * SERVICE_ADD, SET, DEL need CAP_NET_ADMIN in the user namespace owning
 * the network namespace, and so do BIND, HEALTH, VERDICT and ALERT: a
 * helper sees and decides the namespace's traffic, so it must be as
 * trusted as who configures it. Listening to the events group needs no
 * privilege.
 *
 * Redirect rules travel in SLOTFILTER_CMD_FW_REPLACE, as repeated
 * top-level SLOTFILTER_FW_A_REDIRECT nests (up to SLOTFILTER_RULES_MAX in
 * all), each with the attributes of a firewall rule (ID, DIRECTION,
 * APPLIED_TO, SRC, DST, PROTO, SPORT, DPORT, ICMP_TYPE, ICMP_CODE; no LOG)
 * plus SLOTFILTER_RULE_A_SERVICE (NLA_NUL_STRING, required, an existing
 * service) and ACTION redirect or skip. The rules of one service are kept
 * in the order given, first match wins; ids are unique within a service.
 * They are compiled with the firewall's rules into the one ruleset that
 * the commit publishes (one classifier per service): a packet sees all of
 * the old ruleset or all of the new one. An unknown service fails the
 * commit (-ENOENT) and nothing changes. A FW_GET dump returns, after the
 * firewall's rules, one message per redirect rule (grouped by service,
 * each service's in order) with a SLOTFILTER_FW_A_REDIRECT nest holding
 * the rule as configured (its SERVICE included) plus PACKETS, BYTES
 * (packets that matched it), FLOWS (0) and LAST_HIT. FW_GET's NRULES
 * counts the firewall's rules only. Counters of a redirect rule carry
 * over a commit when the same service keeps a rule of the same id.
 *
 * Reply attributes (SLOTFILTER_PORT_A_IFNAME, SLOTFILTER_PORT_A_DIRS,
 * SLOTFILTER_PORT_A_TAGS, and those marked reply only) are rejected in
 * requests.
 */

#ifndef _UAPI_LINUX_SLOTFILTER_H
#define _UAPI_LINUX_SLOTFILTER_H

#define SLOTFILTER_GENL_NAME		"slotfilter"
#define SLOTFILTER_GENL_VERSION		1

#define SLOTFILTER_NUM_SLOTS		12
#define SLOTFILTER_SLOT_FIREWALL	2
#define SLOTFILTER_SLOT_SERVICE_FIRST	4
#define SLOTFILTER_SLOT_SERVICE_LAST	11

enum slotfilter_cmd {
	SLOTFILTER_CMD_UNSPEC,
	SLOTFILTER_CMD_PORT_ADD,
	SLOTFILTER_CMD_PORT_DEL,
	SLOTFILTER_CMD_PORT_GET,
	SLOTFILTER_CMD_PORT_TAG,
	SLOTFILTER_CMD_PORT_UNTAG,
	SLOTFILTER_CMD_SET_ADD,
	SLOTFILTER_CMD_SET_DEL,
	SLOTFILTER_CMD_SET_GET,
	SLOTFILTER_CMD_SET_ELEM_ADD,
	SLOTFILTER_CMD_SET_ELEM_DEL,
	SLOTFILTER_CMD_FW_REPLACE,
	SLOTFILTER_CMD_FW_GET,
	SLOTFILTER_CMD_FW_RESET,
	SLOTFILTER_CMD_FLOW_GET,
	SLOTFILTER_CMD_FW_LOG,		/* event, multicast only */
	SLOTFILTER_CMD_SERVICE_ADD,
	SLOTFILTER_CMD_SERVICE_SET,
	SLOTFILTER_CMD_SERVICE_DEL,
	SLOTFILTER_CMD_SERVICE_GET,
	SLOTFILTER_CMD_SERVICE_BIND,	/* helper */
	SLOTFILTER_CMD_SERVICE_HEALTH,	/* helper */
	SLOTFILTER_CMD_PACKET,		/* kernel to helper, unicast only */
	SLOTFILTER_CMD_VERDICT,		/* helper */
	SLOTFILTER_CMD_SERVICE_EVENT,	/* event, multicast only */
	SLOTFILTER_CMD_SERVICE_ALERT,	/* helper; and its event */
	__SLOTFILTER_CMD_MAX
};
#define SLOTFILTER_CMD_MAX (__SLOTFILTER_CMD_MAX - 1)

enum slotfilter_direction {
	SLOTFILTER_DIR_INGRESS,
	SLOTFILTER_DIR_EGRESS,
	__SLOTFILTER_DIR_MAX
};
#define SLOTFILTER_DIR_COUNT __SLOTFILTER_DIR_MAX

enum slotfilter_filter_kind {
	SLOTFILTER_FILTER_NONE,		/* empty slot */
	SLOTFILTER_FILTER_FIREWALL,
	SLOTFILTER_FILTER_SERVICE,
	__SLOTFILTER_FILTER_MAX
};

enum slotfilter_port_attr {
	SLOTFILTER_PORT_A_UNSPEC,
	SLOTFILTER_PORT_A_IFINDEX,	/* NLA_U32 */
	SLOTFILTER_PORT_A_IFNAME,	/* NLA_NUL_STRING, reply only */
	SLOTFILTER_PORT_A_DIRS,		/* NLA_NESTED, reply only */
	SLOTFILTER_PORT_A_TAG,		/* NLA_NUL_STRING, PORT_TAG/UNTAG */
	SLOTFILTER_PORT_A_TAGS,		/* NLA_NESTED, reply only */
	__SLOTFILTER_PORT_A_MAX
};
#define SLOTFILTER_PORT_A_MAX (__SLOTFILTER_PORT_A_MAX - 1)

enum slotfilter_dir_attr {
	SLOTFILTER_DIR_A_UNSPEC,
	SLOTFILTER_DIR_A_DIRECTION,	/* NLA_U8 */
	SLOTFILTER_DIR_A_PACKETS,	/* NLA_U64 */
	SLOTFILTER_DIR_A_BYTES,		/* NLA_U64 */
	SLOTFILTER_DIR_A_DROPS,		/* NLA_U64 */
	SLOTFILTER_DIR_A_STOLEN,	/* NLA_U64 */
	SLOTFILTER_DIR_A_SLOTS,		/* NLA_NESTED */
	SLOTFILTER_DIR_A_PAD,
	__SLOTFILTER_DIR_A_MAX
};
#define SLOTFILTER_DIR_A_MAX (__SLOTFILTER_DIR_A_MAX - 1)

enum slotfilter_slot_attr {
	SLOTFILTER_SLOT_A_UNSPEC,
	SLOTFILTER_SLOT_A_INDEX,	/* NLA_U8 */
	SLOTFILTER_SLOT_A_FILTER,	/* NLA_U8 */
	SLOTFILTER_SLOT_A_PACKETS,	/* NLA_U64 */
	SLOTFILTER_SLOT_A_BYTES,	/* NLA_U64 */
	SLOTFILTER_SLOT_A_DROPS,	/* NLA_U64 */
	SLOTFILTER_SLOT_A_PAD,
	__SLOTFILTER_SLOT_A_MAX
};
#define SLOTFILTER_SLOT_A_MAX (__SLOTFILTER_SLOT_A_MAX - 1)

#define SLOTFILTER_GENL_MCGRP_EVENTS	"events"

#define SLOTFILTER_NAME_MAX		32	/* tag and set names, NUL included */
#define SLOTFILTER_PORT_TAGS_MAX	16	/* tags on one port */
#define SLOTFILTER_TAGS_MAX		64	/* distinct tags in a namespace */
#define SLOTFILTER_SET_ELEMS_MAX	65536
#define SLOTFILTER_RULES_MAX		65536

enum slotfilter_action {
	SLOTFILTER_ACTION_ALLOW,
	SLOTFILTER_ACTION_DROP,
	SLOTFILTER_ACTION_REJECT,
	SLOTFILTER_ACTION_REDIRECT,	/* redirect rules only */
	SLOTFILTER_ACTION_SKIP,		/* redirect rules only */
	__SLOTFILTER_ACTION_MAX
};

/* SLOTFILTER_FW_A_FLAGS */
#define SLOTFILTER_FW_F_TCP_STRICT	(1U << 0)	/* TCP flows start with a SYN */
#define SLOTFILTER_FW_F_NONIP_DROP	(1U << 1)	/* drop ARP and other non-IP */
#define SLOTFILTER_FW_F_REEVALUATE	(1U << 2)	/* re-judge flows on commit */
#define SLOTFILTER_FW_F_ALL		0x7

/* Attribute types in SLOTFILTER_FW_A_TIMEOUTS; each an NLA_U32 in seconds. */
enum slotfilter_timeout {
	SLOTFILTER_TIMEOUT_UNSPEC,
	SLOTFILTER_TIMEOUT_TCP_SYN,
	SLOTFILTER_TIMEOUT_TCP_ESTABLISHED,
	SLOTFILTER_TIMEOUT_TCP_FIN,
	SLOTFILTER_TIMEOUT_TCP_CLOSE,
	SLOTFILTER_TIMEOUT_UDP,
	SLOTFILTER_TIMEOUT_ICMP,
	SLOTFILTER_TIMEOUT_OTHER,
	__SLOTFILTER_TIMEOUT_MAX
};
#define SLOTFILTER_TIMEOUT_MAX (__SLOTFILTER_TIMEOUT_MAX - 1)

enum slotfilter_fw_attr {
	SLOTFILTER_FW_A_UNSPEC,
	SLOTFILTER_FW_A_GENERATION,	/* NLA_U32 */
	SLOTFILTER_FW_A_DEFAULT,	/* NLA_U8, enum slotfilter_action */
	SLOTFILTER_FW_A_FLAGS,		/* NLA_U32, SLOTFILTER_FW_F_* */
	SLOTFILTER_FW_A_TIMEOUTS,	/* NLA_NESTED, enum slotfilter_timeout */
	SLOTFILTER_FW_A_FLOW_MAX,	/* NLA_U32 */
	SLOTFILTER_FW_A_RULE,		/* NLA_NESTED, enum slotfilter_rule_attr, repeated */
	SLOTFILTER_FW_A_NRULES,		/* NLA_U32, reply only */
	SLOTFILTER_FW_A_MEMORY,		/* NLA_U64, reply only */
	SLOTFILTER_FW_A_FLOWS,		/* NLA_U32, reply only */
	SLOTFILTER_FW_A_FLOWS_REFUSED,	/* NLA_U64, reply only */
	SLOTFILTER_FW_A_FLOW_SIZE,	/* NLA_U32, reply only */
	SLOTFILTER_FW_A_RULE_ID,	/* NLA_U32, FW_RESET */
	SLOTFILTER_FW_A_PAD,
	SLOTFILTER_FW_A_REDIRECT,	/* NLA_NESTED, enum slotfilter_rule_attr, repeated */
	__SLOTFILTER_FW_A_MAX
};
#define SLOTFILTER_FW_A_MAX (__SLOTFILTER_FW_A_MAX - 1)

enum slotfilter_rule_attr {
	SLOTFILTER_RULE_A_UNSPEC,
	SLOTFILTER_RULE_A_ID,		/* NLA_U32, required, >= 1, unique */
	SLOTFILTER_RULE_A_DIRECTION,	/* NLA_U8, enum slotfilter_rule_dir */
	SLOTFILTER_RULE_A_APPLIED_TO,	/* NLA_NESTED, enum slotfilter_applied_attr */
	SLOTFILTER_RULE_A_SRC,		/* NLA_NESTED, enum slotfilter_addr_attr */
	SLOTFILTER_RULE_A_DST,		/* NLA_NESTED, enum slotfilter_addr_attr */
	SLOTFILTER_RULE_A_PROTO,	/* NLA_U8, IPPROTO_* */
	SLOTFILTER_RULE_A_SPORT,	/* NLA_NESTED, enum slotfilter_range_attr */
	SLOTFILTER_RULE_A_DPORT,	/* NLA_NESTED, enum slotfilter_range_attr */
	SLOTFILTER_RULE_A_ICMP_TYPE,	/* NLA_U8 */
	SLOTFILTER_RULE_A_ICMP_CODE,	/* NLA_U8 */
	SLOTFILTER_RULE_A_ACTION,	/* NLA_U8, enum slotfilter_action, required */
	SLOTFILTER_RULE_A_LOG,		/* NLA_FLAG */
	SLOTFILTER_RULE_A_PACKETS,	/* NLA_U64, reply only */
	SLOTFILTER_RULE_A_BYTES,	/* NLA_U64, reply only */
	SLOTFILTER_RULE_A_FLOWS,	/* NLA_U64, reply only */
	SLOTFILTER_RULE_A_LAST_HIT,	/* NLA_U64, reply only: ms since, 0 = never */
	SLOTFILTER_RULE_A_PAD,
	SLOTFILTER_RULE_A_SERVICE,	/* NLA_NUL_STRING, redirect rules only, required there */
	__SLOTFILTER_RULE_A_MAX
};
#define SLOTFILTER_RULE_A_MAX (__SLOTFILTER_RULE_A_MAX - 1)

enum slotfilter_rule_dir {
	SLOTFILTER_RULE_DIR_ANY,
	SLOTFILTER_RULE_DIR_INGRESS,
	SLOTFILTER_RULE_DIR_EGRESS,
	__SLOTFILTER_RULE_DIR_MAX
};

enum slotfilter_applied_attr {
	SLOTFILTER_APPLIED_A_UNSPEC,
	SLOTFILTER_APPLIED_A_IFINDEX,	/* NLA_U32, repeated */
	SLOTFILTER_APPLIED_A_TAG,	/* NLA_NUL_STRING, repeated */
	__SLOTFILTER_APPLIED_A_MAX
};
#define SLOTFILTER_APPLIED_A_MAX (__SLOTFILTER_APPLIED_A_MAX - 1)

/* An address match: one prefix, or a named set. Also a set element. */
enum slotfilter_addr_attr {
	SLOTFILTER_ADDR_A_UNSPEC,
	SLOTFILTER_ADDR_A_ADDR,		/* NLA_BINARY, 4 or 16 bytes, network order */
	SLOTFILTER_ADDR_A_PLEN,		/* NLA_U8, <= 32 or 128; default: full */
	SLOTFILTER_ADDR_A_SET,		/* NLA_NUL_STRING, a set name */
	__SLOTFILTER_ADDR_A_MAX
};
#define SLOTFILTER_ADDR_A_MAX (__SLOTFILTER_ADDR_A_MAX - 1)

enum slotfilter_range_attr {
	SLOTFILTER_RANGE_A_UNSPEC,
	SLOTFILTER_RANGE_A_MIN,		/* NLA_U16 */
	SLOTFILTER_RANGE_A_MAX,		/* NLA_U16, >= MIN; default: MIN */
	__SLOTFILTER_RANGE_A_MAX
};
#define SLOTFILTER_RANGE_A_MAX (__SLOTFILTER_RANGE_A_MAX - 1)

enum slotfilter_set_attr {
	SLOTFILTER_SET_A_UNSPEC,
	SLOTFILTER_SET_A_NAME,		/* NLA_NUL_STRING */
	SLOTFILTER_SET_A_ELEM,		/* NLA_NESTED, enum slotfilter_addr_attr, repeated */
	SLOTFILTER_SET_A_NELEMS,	/* NLA_U32, reply only */
	SLOTFILTER_SET_A_USERS,		/* NLA_U32, reply only: rules using it */
	__SLOTFILTER_SET_A_MAX
};
#define SLOTFILTER_SET_A_MAX (__SLOTFILTER_SET_A_MAX - 1)

enum slotfilter_tcp_state {
	SLOTFILTER_TCP_NONE,
	SLOTFILTER_TCP_SYN_SENT,
	SLOTFILTER_TCP_SYN_RECV,
	SLOTFILTER_TCP_ESTABLISHED,
	SLOTFILTER_TCP_FIN_WAIT,
	SLOTFILTER_TCP_TIME_WAIT,
	SLOTFILTER_TCP_CLOSE,
	SLOTFILTER_TCP_MIDSTREAM,
	__SLOTFILTER_TCP_MAX
};

/* FLOW_GET replies and FW_LOG events. */
enum slotfilter_flow_attr {
	SLOTFILTER_FLOW_A_UNSPEC,
	SLOTFILTER_FLOW_A_IFINDEX,	/* NLA_U32, also a FLOW_GET dump filter */
	SLOTFILTER_FLOW_A_DIRECTION,	/* NLA_U8, of the opener (flow) or packet (log) */
	SLOTFILTER_FLOW_A_PROTO,	/* NLA_U8 */
	SLOTFILTER_FLOW_A_SRC,		/* NLA_BINARY, 4 or 16 bytes */
	SLOTFILTER_FLOW_A_DST,		/* NLA_BINARY, 4 or 16 bytes */
	SLOTFILTER_FLOW_A_SPORT,	/* NLA_U16, host order; ICMP: echo id */
	SLOTFILTER_FLOW_A_DPORT,	/* NLA_U16 */
	SLOTFILTER_FLOW_A_STATE,	/* NLA_U8, enum slotfilter_tcp_state */
	SLOTFILTER_FLOW_A_EXPIRES,	/* NLA_U32, ms left */
	SLOTFILTER_FLOW_A_RULE_ID,	/* NLA_U32, 0 = the default action */
	SLOTFILTER_FLOW_A_ID,		/* NLA_U32 */
	SLOTFILTER_FLOW_A_ACTION,	/* NLA_U8, log events */
	SLOTFILTER_FLOW_A_SUPPRESSED,	/* NLA_U32, log events lost to the rate limit before this one */
	__SLOTFILTER_FLOW_A_MAX
};
#define SLOTFILTER_FLOW_A_MAX (__SLOTFILTER_FLOW_A_MAX - 1)

/* Services */

#define SLOTFILTER_SERVICE_TIMEOUT_MAX	60000	/* ms */
#define SLOTFILTER_SERVICE_QUEUE_MAX	65536
#define SLOTFILTER_LATENCY_BUCKETS	24	/* 1 us .. 2^22 us, and slower */

/* SLOTFILTER_SERVICE_A_FLAGS (SERVICE_BIND) */
#define SLOTFILTER_SERVICE_F_GSO	(1U << 0)	/* takes GSO packets whole */
#define SLOTFILTER_SERVICE_F_ALL	0x1

enum slotfilter_failure_policy {
	SLOTFILTER_FAIL_OPEN,		/* continue */
	SLOTFILTER_FAIL_CLOSED,		/* drop */
	__SLOTFILTER_FAIL_MAX
};

enum slotfilter_service_state {
	SLOTFILTER_SERVICE_NO_HELPER,
	SLOTFILTER_SERVICE_UP,
	SLOTFILTER_SERVICE_FAILING,
	__SLOTFILTER_SERVICE_STATE_MAX
};

enum slotfilter_service_health {
	SLOTFILTER_HEALTH_UP,
	SLOTFILTER_HEALTH_FAILING,
	__SLOTFILTER_HEALTH_MAX
};

/* SLOTFILTER_SERVICE_A_CAUSE of a SERVICE_EVENT: what changed. */
enum slotfilter_service_cause {
	SLOTFILTER_CAUSE_ADDED,		/* SERVICE_ADD */
	SLOTFILTER_CAUSE_DELETED,	/* SERVICE_DEL */
	SLOTFILTER_CAUSE_MOVED,		/* SERVICE_SET with a new slot */
	SLOTFILTER_CAUSE_BOUND,		/* a helper bound (SERVICE_BIND) */
	SLOTFILTER_CAUSE_HELPER_GONE,	/* the bound helper's socket closed */
	SLOTFILTER_CAUSE_HEALTH,	/* the helper's SERVICE_HEALTH */
	__SLOTFILTER_CAUSE_MAX
};

#define SLOTFILTER_REASON_MAX		128	/* SERVICE_A_REASON, NUL included */
#define SLOTFILTER_ALERT_MAX		4096	/* SERVICE_A_ALERT, NUL included */

enum slotfilter_service_attr {
	SLOTFILTER_SERVICE_A_UNSPEC,
	SLOTFILTER_SERVICE_A_NAME,	/* NLA_NUL_STRING */
	SLOTFILTER_SERVICE_A_SLOT,	/* NLA_U8, 4 .. 11 */
	SLOTFILTER_SERVICE_A_FAILURE_POLICY,	/* NLA_U8, enum slotfilter_failure_policy */
	SLOTFILTER_SERVICE_A_TIMEOUT,	/* NLA_U32, ms */
	SLOTFILTER_SERVICE_A_QUEUE_MAX,	/* NLA_U32 */
	SLOTFILTER_SERVICE_A_COPY,	/* NLA_U32, bytes, 0 = all */
	SLOTFILTER_SERVICE_A_STATE,	/* NLA_U8, reply only */
	SLOTFILTER_SERVICE_A_FLAGS,	/* NLA_U32, SERVICE_BIND; reply */
	SLOTFILTER_SERVICE_A_HEALTH,	/* NLA_U8, SERVICE_HEALTH */
	SLOTFILTER_SERVICE_A_NREDIRECTS,	/* NLA_U32, reply only */
	SLOTFILTER_SERVICE_A_HELD,	/* NLA_U32, reply only */
	SLOTFILTER_SERVICE_A_MOST_HELD,	/* NLA_U32, reply only */
	SLOTFILTER_SERVICE_A_STATS,	/* NLA_NESTED, enum slotfilter_service_stat, reply only */
	SLOTFILTER_SERVICE_A_LATENCY,	/* NLA_NESTED of NLA_U64, reply only */
	SLOTFILTER_SERVICE_A_VERDICT,	/* NLA_NESTED, enum slotfilter_verdict_attr, repeated */
	SLOTFILTER_SERVICE_A_PAD,
	SLOTFILTER_SERVICE_A_PREV_STATE,	/* NLA_U8, events only */
	SLOTFILTER_SERVICE_A_CAUSE,	/* NLA_U8, enum slotfilter_service_cause, events only */
	SLOTFILTER_SERVICE_A_REASON,	/* NLA_NUL_STRING, SERVICE_HEALTH; events */
	SLOTFILTER_SERVICE_A_RELEASED,	/* NLA_U32, events only */
	SLOTFILTER_SERVICE_A_PREV_SLOT,	/* NLA_U8, events only */
	SLOTFILTER_SERVICE_A_ALERT,	/* NLA_NUL_STRING, SERVICE_ALERT */
	SLOTFILTER_SERVICE_A_SUPPRESSED,	/* NLA_U32, alert events only */
	__SLOTFILTER_SERVICE_A_MAX
};
#define SLOTFILTER_SERVICE_A_MAX (__SLOTFILTER_SERVICE_A_MAX - 1)

/* Counters in SLOTFILTER_SERVICE_A_STATS, each an NLA_U64. */
enum slotfilter_service_stat {
	SLOTFILTER_STAT_UNSPEC,
	SLOTFILTER_STAT_REDIRECTED,	/* held and sent to the helper */
	SLOTFILTER_STAT_CONTINUED,	/* verdict continue(-flow) */
	SLOTFILTER_STAT_DROPPED,	/* verdict drop(-flow) */
	SLOTFILTER_STAT_TIMED_OUT,	/* deadline missed */
	SLOTFILTER_STAT_FAILED_OPEN,	/* failure policy open applied */
	SLOTFILTER_STAT_FAILED_CLOSED,	/* failure policy closed applied */
	SLOTFILTER_STAT_NO_HELPER,	/* causes of the failure policy: */
	SLOTFILTER_STAT_QUEUE_FULL,
	SLOTFILTER_STAT_DEADLINE,
	SLOTFILTER_STAT_HELPER_GONE,
	SLOTFILTER_STAT_FAILING,
	SLOTFILTER_STAT_FLOW_CONTINUED,	/* passed on a cached flow verdict */
	SLOTFILTER_STAT_FLOW_DROPPED,	/* dropped on a cached flow verdict */
	SLOTFILTER_STAT_LATE,		/* verdicts for packets not held */
	SLOTFILTER_STAT_REWRITTEN,	/* verdicts with a replacement */
	SLOTFILTER_STAT_TEARDOWN,	/* dropped by teardown */
	SLOTFILTER_STAT_PAD,
	__SLOTFILTER_STAT_MAX
};
#define SLOTFILTER_STAT_MAX (__SLOTFILTER_STAT_MAX - 1)

enum slotfilter_verdict {
	SLOTFILTER_VERDICT_CONTINUE,
	SLOTFILTER_VERDICT_DROP,
	SLOTFILTER_VERDICT_CONTINUE_FLOW,
	SLOTFILTER_VERDICT_DROP_FLOW,
	SLOTFILTER_VERDICT_REJECT,	/* drop and answer: TCP RST, ICMP */
	SLOTFILTER_VERDICT_REJECT_FLOW,	/* reject, and drop the rest of the flow */
	__SLOTFILTER_VERDICT_MAX
};

enum slotfilter_verdict_attr {
	SLOTFILTER_VERDICT_A_UNSPEC,
	SLOTFILTER_VERDICT_A_ID,	/* NLA_U64, required */
	SLOTFILTER_VERDICT_A_VERDICT,	/* NLA_U8, enum slotfilter_verdict, required */
	SLOTFILTER_VERDICT_A_PAYLOAD,	/* NLA_BINARY, optional replacement */
	__SLOTFILTER_VERDICT_A_MAX
};
#define SLOTFILTER_VERDICT_A_MAX (__SLOTFILTER_VERDICT_A_MAX - 1)

/* SLOTFILTER_CMD_PACKET */
enum slotfilter_packet_attr {
	SLOTFILTER_PACKET_A_UNSPEC,
	SLOTFILTER_PACKET_A_ID,		/* NLA_U64 */
	SLOTFILTER_PACKET_A_IFINDEX,	/* NLA_U32 */
	SLOTFILTER_PACKET_A_IFNAME,	/* NLA_NUL_STRING */
	SLOTFILTER_PACKET_A_TAGS,	/* NLA_NESTED of SLOTFILTER_PORT_A_TAG */
	SLOTFILTER_PACKET_A_DIRECTION,	/* NLA_U8 */
	SLOTFILTER_PACKET_A_SLOT,	/* NLA_U8 */
	SLOTFILTER_PACKET_A_SERVICE,	/* NLA_NUL_STRING */
	SLOTFILTER_PACKET_A_RULE_ID,	/* NLA_U32 */
	SLOTFILTER_PACKET_A_FLOW_ID,	/* NLA_U32, 0: none */
	SLOTFILTER_PACKET_A_L3PROTO,	/* NLA_U16, ethertype, host order */
	SLOTFILTER_PACKET_A_LENGTH,	/* NLA_U32 */
	SLOTFILTER_PACKET_A_GENERATION,	/* NLA_U32 */
	SLOTFILTER_PACKET_A_PAYLOAD,	/* NLA_BINARY */
	SLOTFILTER_PACKET_A_PAD,
	__SLOTFILTER_PACKET_A_MAX
};
#define SLOTFILTER_PACKET_A_MAX (__SLOTFILTER_PACKET_A_MAX - 1)

#endif /* _UAPI_LINUX_SLOTFILTER_H */
