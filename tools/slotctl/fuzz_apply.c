// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_apply.c - libFuzzer target for the file "slotctl apply" reads
 * (config.c, and the words of settings.c, rule.c, svcwords.c under it)
 *
 *	make -C tools fuzz-apply [FUZZ_SECONDS=60]
 *
 * Each input is parsed as a file, against a system where devices veth0
 * to veth9 exist (ifindex 5 to 14), veth0 and veth1 are ports, set
 * "kset" and service "ksvc" exist. The number config_parse() returns
 * must be the number of errors it prints, one line each. A file without
 * errors must survive the round trip "slotctl save" promises: what
 * save_write() writes from it parses without errors, and writes the
 * same text again.
 * Seeds: slotctl/fuzz_corpus/.
 */
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "portmsg.h"

static unsigned int fake_ifindex(const char *name, void *ctx)
{
	(void)ctx;
	if (strncmp(name, "veth", 4) || name[4] < '0' || name[4] > '9' ||
	    name[5])
		return 0;
	return 5 + name[4] - '0';
}

static bool fake_set_exists(const char *name, void *ctx)
{
	(void)ctx;
	return !strcmp(name, "kset");
}

static bool fake_is_port(unsigned int ifindex, void *ctx)
{
	(void)ctx;
	return ifindex == 5 || ifindex == 6;
}

static bool fake_service_exists(const char *name, void *ctx)
{
	(void)ctx;
	return !strcmp(name, "ksvc");
}

static const struct config_env env = {
	fake_ifindex, fake_set_exists, fake_is_port, NULL, fake_service_exists
};

static const char *fake_ifname(uint32_t ifindex, char *buf)
{
	snprintf(buf, IF_NAMESIZE, "veth%u", ifindex - 5);
	return buf;
}

static int svc_slot_cmp(const void *a, const void *b)
{
	const struct sf_service *x = a, *y = b;

	return (x->slot > y->slot) - (x->slot < y->slot);
}

/* What "slotctl save" would write if the kernel held @cfg; malloc'd. */
static char *save(struct config *cfg, size_t *len)
{
	struct sf_port *ports = calloc(cfg->n_ports + 1, sizeof(*ports));
	char *text = NULL;
	size_t i;
	FILE *fp;

	if (!ports)
		abort();
	for (i = 0; i < cfg->n_ports; i++) {
		ports[i].ifindex = cfg->ports[i].ifindex;
		strcpy(ports[i].ifname, cfg->ports[i].name);
		ports[i].n_tags = cfg->ports[i].n_tags;
		memcpy(ports[i].tags, cfg->ports[i].tags,
		       sizeof(ports[i].tags));
	}
	/* The kernel lists services in slot order (slots are unique here). */
	if (cfg->svcs.n)
		qsort(cfg->svcs.svcs, cfg->svcs.n, sizeof(*cfg->svcs.svcs),
		      svc_slot_cmp);
	redirects_sort(&cfg->rs.redirects, &cfg->svcs);
	fp = open_memstream(&text, len);
	if (!fp)
		abort();
	save_write(fp, ports, cfg->n_ports, &cfg->sets, &cfg->svcs, &cfg->rs,
		   fake_ifname);
	if (fclose(fp))
		abort();
	free(ports);
	return text;
}

/* Parse @len bytes of @text (cut up, with a NUL at text[len]). */
static size_t parse(struct config *cfg, char *text, size_t len)
{
	size_t n_errs = config_parse(cfg, "fuzz", text, len, &env);
	char *out = NULL;
	size_t out_len, lines = 0, i;
	FILE *fp = open_memstream(&out, &out_len);

	if (!fp)
		abort();
	config_print_errors(cfg, fp);
	if (fclose(fp))
		abort();
	for (i = 0; i < out_len; i++)
		lines += out[i] == '\n';
	if (lines != n_errs || n_errs != cfg->n_errs)
		abort();
	free(out);
	return n_errs;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *saved, *again;
	size_t saved_len, again_len;
	struct config cfg;

	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	if (parse(&cfg, text, size)) {
		config_free(&cfg);
		free(text);
		return 0;
	}
	saved = save(&cfg, &saved_len);
	config_free(&cfg);
	free(text);

	/* saved is cut up by the parse: keep a copy to compare with. */
	text = malloc(saved_len + 1);
	if (!text)
		abort();
	memcpy(text, saved, saved_len + 1);
	if (parse(&cfg, text, saved_len)) {
		config_print_errors(&cfg, stderr);
		fprintf(stderr, "--- saved:\n%s", saved);
		abort();
	}
	again = save(&cfg, &again_len);
	if (again_len != saved_len || memcmp(again, saved, saved_len)) {
		fprintf(stderr, "--- saved:\n%s--- saved again:\n%s", saved,
			again);
		abort();
	}
	config_free(&cfg);
	free(text);
	free(saved);
	free(again);
	return 0;
}
