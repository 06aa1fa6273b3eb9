/* coremark: a CoreMark-style mix per iteration: linked-list build/reverse/find/merge
   sort, a small integer matrix multiply, a state machine classifying numeric tokens,
   and CRC-16 over the intermediate results. argv[1] = iterations. */
#include "common.h"

#define LIST_LEN 64
#define MAT 12

typedef struct node { struct node *next; int16_t value; int16_t index; } node;

static uint16_t crc16_byte(uint16_t crc, uint8_t b) {
  crc ^= b;
  for (int i = 0; i < 8; i++) crc = (crc & 1) ? (uint16_t)((crc >> 1) ^ 0xA001u) : (uint16_t)(crc >> 1);
  return crc;
}
static uint16_t crc16_u32(uint16_t crc, uint32_t v) {
  for (int i = 0; i < 4; i++) crc = crc16_byte(crc, (uint8_t)(v >> (8 * i)));
  return crc;
}

static node *list_reverse(node *head) {
  node *prev = 0;
  while (head) { node *next = head->next; head->next = prev; prev = head; head = next; }
  return prev;
}

static node *list_find(node *head, int16_t value) {
  while (head && head->value != value) head = head->next;
  return head;
}

static int node_less(const node *a, const node *b, int by_value) {
  if (by_value) return a->value != b->value ? a->value < b->value : a->index < b->index;
  return a->index < b->index;
}

/* Bottom-up merge sort of a singly linked list. */
static node *list_sort(node *list, int by_value) {
  int insize = 1;
  for (;;) {
    node *p = list, *tail = 0;
    int merges = 0;
    list = 0;
    while (p) {
      merges++;
      node *q = p;
      int psize = 0;
      for (int i = 0; i < insize && q; i++) { psize++; q = q->next; }
      int qsize = insize;
      while (psize > 0 || (qsize > 0 && q)) {
        node *e;
        if (psize == 0) { e = q; q = q->next; qsize--; }
        else if (qsize == 0 || !q) { e = p; p = p->next; psize--; }
        else if (!node_less(q, p, by_value)) { e = p; p = p->next; psize--; }
        else { e = q; q = q->next; qsize--; }
        if (tail) tail->next = e; else list = e;
        tail = e;
      }
      p = q;
    }
    tail->next = 0;
    if (merges <= 1) return list;
    insize *= 2;
  }
}

static uint16_t bench_list(node *pool, uint16_t crc, uint32_t seed) {
  node *head = 0;
  for (int i = 0; i < LIST_LEN; i++) {
    pool[i].value = (int16_t)((seed * (uint32_t)(i + 7) >> 3) & 0x7ff);
    pool[i].index = (int16_t)i;
    pool[i].next = head;
    head = &pool[i];
  }
  head = list_reverse(head);
  for (int k = 0; k < 8; k++) {
    node *f = list_find(head, (int16_t)((seed * (uint32_t)(k * 5 + 7) >> 3) & 0x7ff));
    crc = crc16_u32(crc, f ? (uint32_t)f->index : 0xffffu);
  }
  head = list_sort(head, 1);
  crc = crc16_u32(crc, (uint32_t)head->value);
  head = list_sort(head, 0);
  for (node *p = head; p; p = p->next) crc = crc16_byte(crc, (uint8_t)p->value);
  return crc;
}

static uint16_t bench_matrix(int32_t *a, int32_t *b, int32_t *c, uint16_t crc, uint32_t seed) {
  for (int i = 0; i < MAT * MAT; i++) { a[i] = (int32_t)((seed + (uint32_t)i * 17u) & 0xff) - 128; b[i] = (int32_t)((seed ^ (uint32_t)i * 29u) & 0xff) - 64; }
  for (int i = 0; i < MAT; i++)
    for (int j = 0; j < MAT; j++) {
      int32_t s = 0;
      for (int k = 0; k < MAT; k++) s += a[i * MAT + k] * b[k * MAT + j];
      c[i * MAT + j] = s;
    }
  int32_t acc = 0;
  for (int i = 0; i < MAT * MAT; i++) acc += (c[i] >> 2) ^ (int32_t)i;
  return crc16_u32(crc, (uint32_t)acc);
}

enum state { START, INT, FLOAT, EXP, EXP_SIGN, SCI, INVALID, NSTATES };

static enum state step(enum state s, char ch) {
  int digit = ch >= '0' && ch <= '9';
  switch (s) {
    case START: return digit ? INT : (ch == '+' || ch == '-') ? START : ch == '.' ? FLOAT : INVALID;
    case INT: return digit ? INT : ch == '.' ? FLOAT : (ch == 'e' || ch == 'E') ? EXP : INVALID;
    case FLOAT: return digit ? FLOAT : (ch == 'e' || ch == 'E') ? EXP : INVALID;
    case EXP: return digit ? SCI : (ch == '+' || ch == '-') ? EXP_SIGN : INVALID;
    case EXP_SIGN: return digit ? SCI : INVALID;
    case SCI: return digit ? SCI : INVALID;
    default: return INVALID;
  }
}

static uint16_t bench_state(char *text, int len, uint16_t crc, uint32_t seed) {
  static const char alphabet[] = "0123456789012345.e+-,x";
  for (int i = 0; i < len; i++) {
    seed = seed * 1103515245u + 12345u;
    text[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
  }
  uint32_t counts[NSTATES] = {0};
  enum state s = START;
  for (int i = 0; i < len; i++) {
    if (text[i] == ',') { counts[s]++; s = START; continue; }
    s = step(s, text[i]);
  }
  counts[s]++;
  for (int i = 0; i < NSTATES; i++) crc = crc16_u32(crc, counts[i]);
  return crc;
}

int main(int argc, char **argv) {
  int iterations = work_size(argc, argv, 100);
  /* Self-check: CRC-16/ARC of "123456789" is 0xBB3D. */
  uint16_t check = 0;
  for (const char *p = "123456789"; *p; p++) check = crc16_byte(check, (uint8_t)*p);
  if (check != 0xBB3D) return fail("coremark", "crc16 known answer");

  node *pool = malloc(LIST_LEN * sizeof(node));
  int32_t *mats = malloc(3 * MAT * MAT * sizeof(int32_t));
  char *text = malloc(256);
  uint16_t crc = 0;
  uint32_t checksum = 0;
  for (int it = 0; it < iterations; it++) {
    uint32_t seed = (uint32_t)it * 2654435761u + 1u;
    crc = bench_list(pool, crc, seed);
    crc = bench_matrix(mats, mats + MAT * MAT, mats + 2 * MAT * MAT, crc, seed);
    crc = bench_state(text, 256, crc, seed);
    checksum = mix32(checksum, crc);
  }
  printf("coremark n=%u crc=%04x checksum=%08x\n", (unsigned)iterations, (unsigned)crc, checksum);
  free(pool); free(mats); free(text);
  return 0;
}
