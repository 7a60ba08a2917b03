/* A lock-free single-producer ring buffer with a small HTTP request parser on top: the (already preprocessed)
   C input of the pycparser macrobenchmark. Plain C99, no #include: pycparser parses preprocessed code. */
typedef unsigned long size_t;
typedef long ssize_t;
typedef unsigned char uint8_t;
typedef unsigned int uint32_t;
typedef unsigned long uint64_t;
typedef int bool_t;

enum method { METHOD_GET, METHOD_HEAD, METHOD_POST, METHOD_PUT, METHOD_DELETE, METHOD_UNKNOWN };
enum parse_state { PS_METHOD, PS_PATH, PS_VERSION, PS_HEADER_NAME, PS_HEADER_VALUE, PS_BODY, PS_DONE, PS_ERROR };

struct ring {
    uint8_t *data;
    size_t capacity;   /* a power of two */
    volatile uint64_t head;
    volatile uint64_t tail;
};

struct header {
    const char *name;
    size_t name_len;
    const char *value;
    size_t value_len;
};

struct request {
    enum method method;
    const char *path;
    size_t path_len;
    int version_minor;
    struct header headers[32];
    int header_count;
    size_t content_length;
    bool_t keep_alive;
    enum parse_state state;
};

typedef void (*request_handler)(const struct request *request, void *context);

struct server_stats {
    uint64_t requests;
    uint64_t bytes_in;
    uint64_t errors[PS_ERROR + 1];
    double mean_latency;
};

static const char *const method_names[] = { "GET", "HEAD", "POST", "PUT", "DELETE" };

static size_t ring_used(const struct ring *r) { return (size_t)(r->head - r->tail); }

static size_t ring_free(const struct ring *r) { return r->capacity - ring_used(r); }

static size_t ring_write(struct ring *r, const uint8_t *src, size_t n)
{
    size_t i, space = ring_free(r);
    if (n > space)
        n = space;
    for (i = 0; i < n; i++)
        r->data[(r->head + i) & (r->capacity - 1)] = src[i];
    r->head += n;
    return n;
}

static size_t ring_read(struct ring *r, uint8_t *dst, size_t n)
{
    size_t i, used = ring_used(r);
    if (n > used)
        n = used;
    for (i = 0; i < n; i++)
        dst[i] = r->data[(r->tail + i) & (r->capacity - 1)];
    r->tail += n;
    return n;
}

static int lower(int c) { return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c; }

static bool_t equal_nocase(const char *a, size_t a_len, const char *b)
{
    size_t i;
    for (i = 0; i < a_len; i++) {
        if (b[i] == '\0' || lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
            return 0;
    }
    return b[a_len] == '\0';
}

static enum method parse_method(const char *text, size_t len)
{
    int m;
    for (m = 0; m < (int)(sizeof method_names / sizeof method_names[0]); m++) {
        const char *name = method_names[m];
        size_t k = 0;
        while (k < len && name[k] && name[k] == text[k])
            k++;
        if (k == len && name[k] == '\0')
            return (enum method)m;
    }
    return METHOD_UNKNOWN;
}

static size_t parse_decimal(const char *text, size_t len, bool_t *ok)
{
    size_t value = 0, i;
    *ok = len > 0;
    for (i = 0; i < len; i++) {
        if (text[i] < '0' || text[i] > '9') {
            *ok = 0;
            return 0;
        }
        value = value * 10 + (size_t)(text[i] - '0');
    }
    return value;
}

static void finish_header(struct request *req)
{
    struct header *h = &req->headers[req->header_count - 1];
    bool_t ok;
    if (equal_nocase(h->name, h->name_len, "content-length")) {
        req->content_length = parse_decimal(h->value, h->value_len, &ok);
        if (!ok)
            req->state = PS_ERROR;
    } else if (equal_nocase(h->name, h->name_len, "connection")) {
        req->keep_alive = equal_nocase(h->value, h->value_len, "keep-alive") ||
                          (req->version_minor == 1 && !equal_nocase(h->value, h->value_len, "close"));
    }
}

ssize_t parse_request(struct request *req, const char *buf, size_t len)
{
    size_t i = 0, start = 0;
    req->state = PS_METHOD;
    req->header_count = 0;
    req->keep_alive = 1;
    req->content_length = 0;
    while (i < len && req->state != PS_DONE && req->state != PS_ERROR) {
        char c = buf[i];
        switch (req->state) {
        case PS_METHOD:
            if (c == ' ') {
                req->method = parse_method(buf + start, i - start);
                req->state = req->method == METHOD_UNKNOWN ? PS_ERROR : PS_PATH;
                start = i + 1;
            }
            break;
        case PS_PATH:
            if (c == ' ') {
                req->path = buf + start;
                req->path_len = i - start;
                req->state = PS_VERSION;
                start = i + 1;
            }
            break;
        case PS_VERSION:
            if (c == '\n') {
                req->version_minor = buf[i - 2] - '0';
                req->state = PS_HEADER_NAME;
                start = i + 1;
            }
            break;
        case PS_HEADER_NAME:
            if (c == '\n') {
                req->state = req->content_length ? PS_BODY : PS_DONE;
            } else if (c == ':') {
                if (req->header_count == 32) {
                    req->state = PS_ERROR;
                    break;
                }
                req->headers[req->header_count].name = buf + start;
                req->headers[req->header_count].name_len = i - start;
                req->header_count++;
                req->state = PS_HEADER_VALUE;
                start = i + 1;
                while (start < len && buf[start] == ' ')
                    start++;
            }
            break;
        case PS_HEADER_VALUE:
            if (c == '\r' || c == '\n') {
                req->headers[req->header_count - 1].value = buf + start;
                req->headers[req->header_count - 1].value_len = i - start;
                finish_header(req);
                if (c == '\r')
                    i++;
                if (req->state != PS_ERROR)
                    req->state = PS_HEADER_NAME;
                start = i + 1;
            }
            break;
        case PS_BODY:
            if (len - i >= req->content_length) {
                i += req->content_length - 1;
                req->state = PS_DONE;
            } else {
                return 0;
            }
            break;
        default:
            req->state = PS_ERROR;
        }
        i++;
    }
    return req->state == PS_DONE ? (ssize_t)i : req->state == PS_ERROR ? -1 : 0;
}

void serve(struct ring *input, struct server_stats *stats, request_handler handler, void *context)
{
    static char window[65536];
    size_t filled = 0;
    struct request req;
    for (;;) {
        ssize_t used;
        size_t got = ring_read(input, (uint8_t *)window + filled, sizeof window - filled);
        if (got == 0 && filled == 0)
            return;
        filled += got;
        stats->bytes_in += got;
        used = parse_request(&req, window, filled);
        if (used < 0) {
            stats->errors[req.state]++;
            filled = 0;
            continue;
        }
        if (used == 0)
            continue;
        handler(&req, context);
        stats->requests++;
        stats->mean_latency += (0.001 - stats->mean_latency) / (double)stats->requests;
        {
            size_t k;
            for (k = (size_t)used; k < filled; k++)
                window[k - (size_t)used] = window[k];
            filled -= (size_t)used;
        }
        if (!req.keep_alive)
            return;
    }
}
