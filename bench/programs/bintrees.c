/* bintrees: the binary-trees allocation benchmark with malloc/free, max depth argv[1]:
   a stretch tree, a long-lived tree, and many short-lived trees of growing depth,
   each checked by counting its nodes. */
#include "common.h"

typedef struct tree { struct tree *left, *right; } tree;

static tree *build(int depth) {
  tree *t = malloc(sizeof(tree));
  if (depth > 0) { t->left = build(depth - 1); t->right = build(depth - 1); }
  else t->left = t->right = 0;
  return t;
}

static uint32_t check(const tree *t) { return t->left ? 1 + check(t->left) + check(t->right) : 1; }

static void destroy(tree *t) {
  if (t->left) { destroy(t->left); destroy(t->right); }
  free(t);
}

int main(int argc, char **argv) {
  int max_depth = work_size(argc, argv, 14);
  if (max_depth < 6) max_depth = 6;
  uint32_t checksum = 0;
  tree *stretch = build(max_depth + 1);
  uint32_t nodes = check(stretch);
  if (nodes != (2u << (max_depth + 1)) - 1) return fail("bintrees", "stretch tree size");
  checksum = mix32(checksum, nodes);
  destroy(stretch);
  tree *long_lived = build(max_depth);
  for (int depth = 4; depth <= max_depth; depth += 2) {
    uint32_t iterations = 1u << (max_depth - depth + 4), total = 0;
    for (uint32_t i = 0; i < iterations; i++) { tree *t = build(depth); total += check(t); destroy(t); }
    checksum = mix32(checksum, total);
  }
  checksum = mix32(checksum, check(long_lived));
  destroy(long_lived);
  printf("bintrees n=%u checksum=%08x\n", (unsigned)max_depth, checksum);
  return 0;
}
