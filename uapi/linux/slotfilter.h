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
 * Reply attributes (SLOTFILTER_PORT_A_IFNAME, SLOTFILTER_PORT_A_DIRS) are
 * rejected in requests.
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

#endif /* _UAPI_LINUX_SLOTFILTER_H */
