/* SPDX-License-Identifier: GPL-2.0 */
/*
 * names.h - the words slotfilter's enums are printed and parsed as
 */
#ifndef SF_NAMES_H
#define SF_NAMES_H

const char *sf_dir_name(unsigned int dir);
const char *sf_filter_name(unsigned int kind);

#endif /* SF_NAMES_H */
