/* SPDX-License-Identifier: GPL-2.0 */
/*
 * On top of sfnl_test.h, for netlink_api.c, failslab.c, userns.c and
 * sf_churn.c: PORT_GET replies decoded, the port commands and dumps,
 * and a few more ways to get a socket. Nothing here allocates memory while
 * a request is in flight, except sf_ports_msg() (a growing array):
 * failslab.c relies on that.
 */
#ifndef _SFNL_PORTS_H
#define _SFNL_PORTS_H

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#include "sfnl_test.h"

/* A counter that the reply did not carry. */
#define SF_ABSENT	(-1)

/* A PORT_GET reply, decoded. Fields a reply lacks stay -1 / SF_ABSENT. */
struct sf_slot_info {
	int type;			/* of its nest */
	int index;
	int filter;
	int64_t packets, bytes, drops;
};

struct sf_dir_info {
	int type;			/* of its nest */
	int direction;
	int64_t packets, bytes, drops, stolen;
	int nslots;			/* entries seen, even beyond slot[] */
	struct sf_slot_info slot[SLOTFILTER_NUM_SLOTS];
};

struct sf_port_info {
	int cmd;			/* of the genetlink header */
	int64_t ifindex;
	char ifname[IFNAMSIZ];
	int ndirs;			/* entries seen, even beyond dir[] */
	struct sf_dir_info dir[SLOTFILTER_DIR_COUNT];
	int bad;			/* attributes of the wrong size */
};

/* The ports a dump returned, in the order it returned them. */
struct sf_ports {
	int n;
	int cap;
	struct sf_port_info *v;
};

/* ---- more ways to a socket ----------------------------------------------- */

/*
 * A socket like sf_open()'s, for a family id known already: no request
 * is sent.
 */
static inline int sf_open_family(struct sf_sock *s, uint16_t family)
{
	int one = 1, err;

	memset(s, 0, sizeof(*s));
	s->nl = mnl_socket_open(NETLINK_GENERIC);
	if (!s->nl)
		return -errno;
	if (mnl_socket_setsockopt(s->nl, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    mnl_socket_setsockopt(s->nl, NETLINK_CAP_ACK, &one, sizeof(one)) ||
	    mnl_socket_bind(s->nl, 0, MNL_SOCKET_AUTOPID)) {
		err = -errno;
		mnl_socket_close(s->nl);
		s->nl = NULL;
		return err;
	}
	s->portid = mnl_socket_get_portid(s->nl);
	s->family = family;
	return 0;
}

/* A socket for @fd, a netlink socket made elsewhere (SCM_RIGHTS). */
static inline int sf_adopt(struct sf_sock *s, int fd, uint16_t family)
{
	memset(s, 0, sizeof(*s));
	s->nl = mnl_socket_fdopen(fd);
	if (!s->nl)
		return -errno;
	s->portid = mnl_socket_get_portid(s->nl);
	s->family = family;
	return 0;
}

/* The first line of a file, without its newline; -1 if unreadable. */
static inline int sf_read(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	int err;

	if (!f)
		return -1;
	err = !fgets(buf, size, f);
	fclose(f);
	if (err)
		return -1;
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* ---- decoding ports ------------------------------------------------------ */

static inline void sf_get_u8(const struct nlattr *a, int *v, int *bad)
{
	if (mnl_attr_validate(a, MNL_TYPE_U8))
		(*bad)++;
	else
		*v = mnl_attr_get_u8(a);
}

static inline void sf_get_u64(const struct nlattr *a, int64_t *v, int *bad)
{
	if (mnl_attr_validate(a, MNL_TYPE_U64))
		(*bad)++;
	else
		*v = mnl_attr_get_u64(a);
}

static inline void sf_parse_slot(const struct nlattr *nest,
				    struct sf_slot_info *sl, int *bad)
{
	const struct nlattr *a;

	sl->type = mnl_attr_get_type(nest);
	sl->index = -1;
	sl->filter = -1;
	sl->packets = SF_ABSENT;
	sl->bytes = SF_ABSENT;
	sl->drops = SF_ABSENT;
	mnl_attr_for_each_nested(a, nest) {
		switch (mnl_attr_get_type(a)) {
		case SLOTFILTER_SLOT_A_INDEX:
			sf_get_u8(a, &sl->index, bad);
			break;
		case SLOTFILTER_SLOT_A_FILTER:
			sf_get_u8(a, &sl->filter, bad);
			break;
		case SLOTFILTER_SLOT_A_PACKETS:
			sf_get_u64(a, &sl->packets, bad);
			break;
		case SLOTFILTER_SLOT_A_BYTES:
			sf_get_u64(a, &sl->bytes, bad);
			break;
		case SLOTFILTER_SLOT_A_DROPS:
			sf_get_u64(a, &sl->drops, bad);
			break;
		}
	}
}

static inline void sf_parse_dir(const struct nlattr *nest,
				   struct sf_dir_info *d, int *bad)
{
	const struct nlattr *a, *slot;

	d->type = mnl_attr_get_type(nest);
	d->direction = -1;
	d->packets = SF_ABSENT;
	d->bytes = SF_ABSENT;
	d->drops = SF_ABSENT;
	d->stolen = SF_ABSENT;
	mnl_attr_for_each_nested(a, nest) {
		switch (mnl_attr_get_type(a)) {
		case SLOTFILTER_DIR_A_DIRECTION:
			sf_get_u8(a, &d->direction, bad);
			break;
		case SLOTFILTER_DIR_A_PACKETS:
			sf_get_u64(a, &d->packets, bad);
			break;
		case SLOTFILTER_DIR_A_BYTES:
			sf_get_u64(a, &d->bytes, bad);
			break;
		case SLOTFILTER_DIR_A_DROPS:
			sf_get_u64(a, &d->drops, bad);
			break;
		case SLOTFILTER_DIR_A_STOLEN:
			sf_get_u64(a, &d->stolen, bad);
			break;
		case SLOTFILTER_DIR_A_SLOTS:
			mnl_attr_for_each_nested(slot, a) {
				if (d->nslots < SLOTFILTER_NUM_SLOTS)
					sf_parse_slot(slot,
						      &d->slot[d->nslots], bad);
				d->nslots++;
			}
			break;
		}
	}
}

/* Decodes one PORT_GET message; unknown attributes are ignored. */
static inline void sf_parse_port(const struct nlmsghdr *nlh,
				    struct sf_port_info *p)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a, *dir;

	memset(p, 0, sizeof(*p));
	p->cmd = genl->cmd;
	p->ifindex = -1;
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		switch (mnl_attr_get_type(a)) {
		case SLOTFILTER_PORT_A_IFINDEX:
			if (mnl_attr_validate(a, MNL_TYPE_U32))
				p->bad++;
			else
				p->ifindex = mnl_attr_get_u32(a);
			break;
		case SLOTFILTER_PORT_A_IFNAME:
			if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) ||
			    strlen(mnl_attr_get_str(a)) >= IFNAMSIZ)
				p->bad++;
			else
				strcpy(p->ifname, mnl_attr_get_str(a));
			break;
		case SLOTFILTER_PORT_A_DIRS:
			mnl_attr_for_each_nested(dir, a) {
				if (p->ndirs < SLOTFILTER_DIR_COUNT)
					sf_parse_dir(dir, &p->dir[p->ndirs],
						     &p->bad);
				p->ndirs++;
			}
			break;
		}
	}
}

static inline int sf_port_msg(const struct nlmsghdr *nlh, void *data)
{
	sf_parse_port(nlh, data);
	return MNL_CB_OK;
}

static inline int sf_ports_msg(const struct nlmsghdr *nlh, void *data)
{
	struct sf_ports *ports = data;

	if (ports->n == ports->cap) {
		int cap = ports->cap ? 2 * ports->cap : 16;
		void *v = realloc(ports->v, cap * sizeof(*ports->v));

		if (!v)
			return MNL_CB_ERROR;
		ports->v = v;
		ports->cap = cap;
	}
	sf_parse_port(nlh, &ports->v[ports->n++]);
	return MNL_CB_OK;
}

/* ---- the commands -------------------------------------------------------- */

/* PORT_ADD, PORT_DEL or PORT_GET (doit) of @ifindex; a reply goes to @p. */
static inline int sf_port_cmd(struct sf_sock *s, uint8_t cmd,
				 uint32_t ifindex, struct sf_ack *ack,
				 struct sf_port_info *p)
{
	struct sf_port_info ignored;

	return sf_talk(s, cmd, NLM_F_ACK, sf_put_ifindex, &ifindex,
		       sf_port_msg, p ? p : &ignored, ack);
}

/*
 * Dumps the ports (only @only, if not 0) into @ports, which the caller
 * frees. Returns how many reads the dump took, or -errno.
 */
static inline int sf_dump(struct sf_sock *s, uint32_t only,
			     struct sf_ports *ports, struct sf_ack *ack)
{
	memset(ports, 0, sizeof(*ports));
	return sf_talk(s, SLOTFILTER_CMD_PORT_GET, NLM_F_DUMP,
		       only ? sf_put_ifindex : NULL, &only, sf_ports_msg,
		       ports, ack);
}

#endif /* _SFNL_PORTS_H */
