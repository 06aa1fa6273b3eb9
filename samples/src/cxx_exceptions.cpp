/* C++ exceptions through Windows x64 SEH (gcc's libgcc unwinder calls RaiseException,
   RtlUnwindEx, RtlVirtualUnwind): throw/catch of several types, catch by base class,
   catch(...), rethrow, nested try blocks, destructors run during unwinding (printed),
   exceptions leaving constructors, std::exception types from the library, and an
   uncaught exception in a noexcept function ending in std::terminate (argument "terminate").
   Built with x86_64-w64-mingw32-g++ -O2 -static -s -Wl,--no-insert-timestamp (libstdc++
   and libgcc inside the .exe; -Wno-terminate for the deliberate noexcept throw). */
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>
#include <new>

struct Tracer {
  const char *name;
  explicit Tracer(const char *n) : name(n) { std::printf("  enter %s\n", name); }
  ~Tracer() { std::printf("  leave %s\n", name); }
};

struct MyError : std::runtime_error {
  int code;
  MyError(const char *what, int c) : std::runtime_error(what), code(c) {}
};

struct Derived : MyError {
  Derived() : MyError("derived", 7) {}
};

__attribute__((noinline)) static void thrower(int kind) {
  Tracer t("thrower");
  switch (kind) {
    case 0: throw 42;
    case 1: throw 2.5;
    case 2: throw "a C string";
    case 3: throw std::string("a std::string");
    case 4: throw MyError("my error", 3);
    case 5: throw Derived();
    case 6: throw std::out_of_range("out of range");
    default: break;
  }
  std::printf("  no throw\n");
}

__attribute__((noinline)) static void level2(int kind) {
  Tracer t("level2");
  thrower(kind);
}

__attribute__((noinline)) static void level1(int kind) {
  Tracer t("level1");
  std::vector<int> v(3, kind);
  level2(kind);
  std::printf("  level1 after (%d)\n", v[0]);
}

static void catch_types() {
  std::printf("catch by type\n");
  for (int kind = 0; kind <= 7; kind++) {
    try {
      level1(kind);
    } catch (int i) {
      std::printf(" caught int %d\n", i);
    } catch (double d) {
      std::printf(" caught double %g\n", d);
    } catch (const char *s) {
      std::printf(" caught const char* \"%s\"\n", s);
    } catch (const std::string &s) {
      std::printf(" caught std::string \"%s\"\n", s.c_str());
    } catch (const Derived &e) {
      std::printf(" caught Derived \"%s\" code %d\n", e.what(), e.code);
    } catch (const MyError &e) {
      std::printf(" caught MyError \"%s\" code %d\n", e.what(), e.code);
    } catch (const std::exception &e) {
      std::printf(" caught std::exception \"%s\"\n", e.what());
    }
  }
}

__attribute__((noinline)) static void rethrower() {
  try {
    level2(4);
  } catch (MyError &e) {
    std::printf(" rethrower saw \"%s\", rethrowing\n", e.what());
    e.code += 100;
    throw;
  }
}

static void rethrow() {
  std::printf("rethrow\n");
  try {
    rethrower();
  } catch (const MyError &e) {
    std::printf(" outer caught \"%s\" code %d\n", e.what(), e.code);
  }
}

static void nested() {
  std::printf("nested try\n");
  try {
    Tracer a("outer block");
    try {
      Tracer b("inner block");
      throw std::logic_error("inner");
    } catch (const std::logic_error &e) {
      std::printf(" inner caught \"%s\"\n", e.what());
      throw std::runtime_error("thrown from a catch block");
    }
  } catch (const std::runtime_error &e) {
    std::printf(" outer caught \"%s\"\n", e.what());
  }
  try {
    try {
      throw 1;
    } catch (...) {
      std::printf(" catch(...) inside, throwing another\n");
      try {
        throw 2;
      } catch (int i) {
        std::printf(" innermost caught %d\n", i);
      }
      throw;
    }
  } catch (int i) {
    std::printf(" rethrown int %d\n", i);
  }
}

struct Member {
  int id;
  explicit Member(int i) : id(i) { std::printf("  Member %d built\n", id); }
  ~Member() { std::printf("  Member %d destroyed\n", id); }
};

struct Whole {
  Member a, b;
  explicit Whole(bool fail) : a(1), b(2) {
    if (fail) throw std::runtime_error("constructor failed");
    std::printf("  Whole built\n");
  }
  ~Whole() { std::printf("  Whole destroyed\n"); }
};

static void constructors() {
  std::printf("constructors\n");
  try {
    Whole ok(false);
    Whole bad(true);
  } catch (const std::exception &e) {
    std::printf(" caught \"%s\"\n", e.what());
  }
}

static void library() {
  std::printf("library exceptions\n");
  try {
    std::vector<int> v(2);
    std::printf(" %d\n", v.at(5));
  } catch (const std::out_of_range &) {
    std::printf(" vector::at threw out_of_range\n");
  }
  try {
    std::string s("abc");
    s.substr(10);
  } catch (const std::exception &) {
    std::printf(" string::substr threw\n");
  }
}

static int deep(int n) {
  Tracer t(n % 4 == 0 ? "deep (every 4th)" : "deep");
  if (n == 0) throw n;
  return deep(n - 1) + 1;
}

static void many() {
  std::printf("many throws\n");
  int sum = 0;
  for (int i = 0; i < 200; i++) {
    try {
      if (i % 3 == 0) throw i;
      sum += i;
    } catch (int v) {
      sum -= v;
    }
  }
  std::printf(" sum %d\n", sum);
  try {
    deep(8);
  } catch (int v) {
    std::printf(" deep caught %d\n", v);
  }
}

static void never_throws() noexcept {  // NOLINT: throws on purpose
  throw std::runtime_error("escapes a noexcept function");
}

int main(int argc, char **argv) {
  if (argc > 1 && std::strcmp(argv[1], "terminate") == 0) {
    std::printf("calling a noexcept function that throws\n");
    std::fflush(stdout);
    never_throws();
    return 0;
  }
  catch_types();
  rethrow();
  nested();
  constructors();
  library();
  many();
  std::printf("done\n");
  return 0;
}
