/* measure: runs a command and reports its wall time, peak resident memory and exit
   status, which Node cannot get for a child process (no wait4 rusage in its API).
   Built by the bench runner with the host cc at run time.

     measure RESULT_FILE STDOUT_FILE STDERR_FILE TIMEOUT_SECONDS command [args...]

   The command's stdin is /dev/null; its stdout and stderr go to files, not pipes, so a
   daemon it starts (wineserver) cannot keep the caller waiting for end-of-file. RESULT_FILE
   receives one line: "<wall_ns> <maxrss_kib> <exit_code> <signal> <timed_out>".
   maxrss is that of the command and of the descendants it waited for (ru_maxrss of
   RUSAGE from wait4 covers the child only; daemons it starts, such as wineserver, are
   not counted). After TIMEOUT_SECONDS (0 = none) the command's process group is killed. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t timed_out = 0;
static pid_t child = 0;

static void on_alarm(int sig) {
  (void)sig;
  timed_out = 1;
  if (child > 0) kill(-child, SIGKILL);
}

int main(int argc, char **argv) {
  if (argc < 6) {
    fprintf(stderr, "usage: measure RESULT_FILE STDOUT_FILE STDERR_FILE TIMEOUT_SECONDS command [args...]\n");
    return 2;
  }
  const char *result_path = argv[1];
  int out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
  int err = open(argv[3], O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (out < 0 || err < 0) { perror("measure: output files"); return 2; }
  unsigned timeout = (unsigned)strtoul(argv[4], 0, 10);
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  child = fork();
  if (child < 0) { perror("measure: fork"); return 2; }
  if (child == 0) {
    setpgid(0, 0);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) { dup2(devnull, 0); close(devnull); }
    dup2(out, 1);
    dup2(err, 2);
    close(out);
    close(err);
    execvp(argv[5], argv + 5);
    fprintf(stderr, "measure: cannot run %s\n", argv[5]);
    _exit(127);
  }
  close(out);
  close(err);
  setpgid(child, child);
  signal(SIGALRM, on_alarm);
  if (timeout) alarm(timeout);
  int status = 0;
  struct rusage ru;
  while (wait4(child, &status, 0, &ru) < 0) {
    if (errno != EINTR) { perror("measure: wait4"); return 2; }
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  long long wall_ns = (long long)(t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec);
  FILE *f = fopen(result_path, "w");
  if (!f) { perror("measure: result file"); return 2; }
  fprintf(f, "%lld %ld %d %d %d\n", wall_ns, ru.ru_maxrss,
          WIFEXITED(status) ? WEXITSTATUS(status) : -1, WIFSIGNALED(status) ? WTERMSIG(status) : 0, (int)timed_out);
  fclose(f);
  return 0;
}
