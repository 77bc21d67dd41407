"""The Debian package and `meson install`: `dpkg-buildpackage -us -uc -b` from a copy
of the tree (nothing is written into the tree), the package's files, control data and
maintainer scripts (conffiles under /etc, the units neither enabled nor started); the
package installed with dpkg -i in a copy-on-write chroot of this system, and purged;
extracted into an empty root, its own binary started once on net_tap with its own
/etc/smallsrv/smallsrv.ini, answering a UDP echo. `meson install` into a
prefix: the same files with that prefix's paths, the units checked by
`systemd-analyze verify`, and smallsrv-setup reading the installed defaults."""
import gzip
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time

import pytest

import livelib
from common import APP_IP4, APP_IP6

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# The build alone takes half a minute on 2 cores; every step is bounded.
pytestmark = pytest.mark.timeout(900)

UNITS = ["smallsrv-exporter.service", "smallsrv-setup.service", "smallsrv.service"]
CONFIGS = ["hardened.ini", "lab.ini", "smallsrv.ini"]
# Every file the package holds, and nothing else (no test program, no build output).
PACKAGE_FILES = sorted(
    ["etc/default/smallsrv"] + ["etc/smallsrv/" + c for c in CONFIGS] +
    ["lib/systemd/system/" + u for u in UNITS] +
    ["usr/bin/smallsrv-exporter", "usr/bin/smallsrv-top", "usr/sbin/smallsrv",
     "usr/sbin/smallsrv-setup", "usr/share/doc/smallsrv/changelog.gz",
     "usr/share/doc/smallsrv/copyright", "usr/share/man/man8/smallsrv.8.gz"])


def run(cmd, timeout=600, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kw)
    assert r.returncode == 0, "%s: exit %d\n%s\n%s" % (" ".join(cmd), r.returncode,
                                                       r.stdout[-4000:], r.stderr[-4000:])
    return r.stdout


def copy_tree(dest):
    """What git would commit of the tree (tracked and new files, not the ignored
    build directories); a tree that is not a git checkout is copied without them."""
    try:
        names = run(["git", "-C", ROOT, "ls-files", "-z", "--cached", "--others",
                     "--exclude-standard"], timeout=60).split("\0")
    except (AssertionError, FileNotFoundError):
        names = None
    if names is None:
        shutil.copytree(ROOT, dest, symlinks=True,
                        ignore=shutil.ignore_patterns("build", "build-*", ".git"))
        return
    for name in filter(None, names):
        src = os.path.join(ROOT, name)
        if not os.path.lexists(src):  # deleted, not yet committed
            continue
        os.makedirs(os.path.dirname(os.path.join(dest, name)), exist_ok=True)
        shutil.copy2(src, os.path.join(dest, name), follow_symlinks=False)


@pytest.fixture(scope="module")
def work():
    d = tempfile.mkdtemp(prefix="smallsrv-pkg.")
    yield d
    shutil.rmtree(d, ignore_errors=True)


@pytest.fixture(scope="module")
def deb(work):
    """The package, built as CI and a user would; its build time is printed."""
    src = os.path.join(work, "smallsrv")
    copy_tree(src)
    t0 = time.monotonic()
    # noautodbgsym: no -dbgsym package to make, for time.
    run(["dpkg-buildpackage", "-us", "-uc", "-b"], cwd=src,
        env=dict(os.environ, DEB_BUILD_OPTIONS="noautodbgsym parallel=%d" % os.cpu_count()))
    print("dpkg-buildpackage took %.1f s" % (time.monotonic() - t0))
    debs = [f for f in os.listdir(work) if f.endswith(".deb")]
    assert len(debs) == 1, debs
    return os.path.join(work, debs[0])


@pytest.fixture(scope="module")
def extracted(work, deb):
    """The package's files in an empty root, as dpkg unpacks them."""
    root = os.path.join(work, "root")
    run(["dpkg-deb", "-x", deb, root])
    return root


def project_version():
    with open(os.path.join(ROOT, "meson.build")) as f:
        return re.search(r"version: '([^']+)'", f.read()).group(1)


def test_package_holds_the_expected_files(deb):
    listing = run(["dpkg-deb", "-c", deb])
    files = {}
    for line in listing.splitlines():
        mode, owner, _size, _date, _time, name = line.split(None, 5)
        if not mode.startswith("d"):
            files[name[2:]] = (mode, owner)
    assert sorted(files) == PACKAGE_FILES
    assert all(owner == "root/root" for _, owner in files.values()), files
    for name in ("usr/sbin/smallsrv", "usr/sbin/smallsrv-setup", "usr/bin/smallsrv-top",
                 "usr/bin/smallsrv-exporter"):
        assert files[name][0] == "-rwxr-xr-x", (name, files[name])


def test_package_control(work, deb):
    assert os.path.basename(deb) == "smallsrv_%s_%s.deb" % (
        project_version(), run(["dpkg", "--print-architecture"]).strip())
    ctl = os.path.join(work, "control")
    run(["dpkg-deb", "-e", deb, ctl])
    depends = run(["dpkg-deb", "-f", deb, "Depends"])
    for dep in ("dpdk", "python3", "librte-eal23", "libc6"):
        assert re.search(r"(^|, )%s\b" % dep, depends), depends
    with open(os.path.join(ctl, "conffiles")) as f:
        assert sorted(f.read().split()) == sorted(
            ["/etc/default/smallsrv"] + ["/etc/smallsrv/" + c for c in CONFIGS])
    # Installing it starts nothing and enables nothing: a NIC and addresses come first.
    # (dh_installsystemd stops the units before an upgrade and re-enables what the admin
    # had enabled: allowed.)
    for script in ("preinst", "postinst", "prerm", "postrm"):
        path = os.path.join(ctl, script)
        if not os.path.exists(path):
            continue
        with open(path) as f:
            text = f.read()
        assert not re.search(r"(deb-systemd-invoke|systemctl)\s+(\S+\s+)?(start|restart|"
                             r"try-restart)\b", text), script
        for m in re.finditer(r"deb-systemd-helper enable", text):
            assert "was-enabled" in text[max(0, m.start() - 200):m.start()], script


def test_package_units_and_page_name_the_installed_paths(extracted):
    unitdir = os.path.join(extracted, "lib/systemd/system")
    with open(os.path.join(unitdir, "smallsrv.service")) as f:
        unit = f.read()
    assert "\nExecStart=/usr/sbin/smallsrv $SMALLSRV_EAL -- --config ${SMALLSRV_CONFIG} " \
        "$SMALLSRV_ARGS\n" in unit
    assert "\nEnvironment=SMALLSRV_CONFIG=/etc/smallsrv/smallsrv.ini\n" in unit
    assert "\nExecReload=/bin/kill -HUP $MAINPID\n" in unit
    assert "\nRequires=smallsrv-setup.service\n" in unit
    with open(os.path.join(unitdir, "smallsrv-setup.service")) as f:
        unit = f.read()
    assert "\nExecStart=/usr/sbin/smallsrv-setup --defaults /etc/default/smallsrv start\n" \
        in unit
    # After a start that failed halfway too (systemd skips ExecStop then).
    assert "\nExecStopPost=/usr/sbin/smallsrv-setup --defaults /etc/default/smallsrv stop\n" \
        in unit
    for u in UNITS:
        with open(os.path.join(unitdir, u)) as f:
            assert "@" not in f.read().replace("@system-service", ""), u
    with gzip.open(os.path.join(extracted, "usr/share/man/man8/smallsrv.8.gz"), "rt") as f:
        page = f.read()
    assert "/etc/smallsrv/smallsrv.ini" in page and "/usr/local" not in page
    assert "@" not in page.replace("@OPTIONS@", "").replace("@CONFIGURATION@", "")


class PackagedAppliance(livelib.Appliance):
    """The test bench's appliance (net_tap in a namespace), run from the package."""

    def __init__(self, binary, extra):
        super().__init__(extra)
        self.binary = binary

    def _start_process(self):
        saved, livelib.BIN = livelib.BIN, self.binary
        try:
            super()._start_process()
        finally:
            livelib.BIN = saved


def test_packaged_binary_starts_on_net_tap(extracted):
    """Its own binary, its own /etc/smallsrv/smallsrv.ini (addresses given on the
    command line, as the file has none), ready, one UDP echo over each family, and
    a clean stop with its summary."""
    binary = os.path.join(extracted, "usr/sbin/smallsrv")
    config = os.path.join(extracted, "etc/smallsrv/smallsrv.ini")
    version = run([binary, "--version"])
    assert version.startswith("smallsrv %s " % project_version()), version
    app = PackagedAppliance(binary, ["--config", config])
    try:
        app.start()
        for family, addr in ((socket.AF_INET, APP_IP4), (socket.AF_INET6, APP_IP6)):
            with app.socket(family) as s:
                assert livelib.udp_exchange(s, (addr, 7), b"from the package") == \
                    b"from the package"
        summary = app.stop()
        assert summary["total"]["rx_pkts"] >= 2, summary
    finally:
        app.cleanup()


@pytest.fixture
def chroot(work):
    """This very system as a chroot, copy on write: an overlay with / below and a
    tmpfs above, /dev and /proc bound in. What is installed in it is installed
    against the host's real packages (dpdk, python3), and gone at the end."""
    top = os.path.join(work, "overlay")
    os.makedirs(top)
    mounted = []

    def mount(args, target):
        run(["mount"] + args + [target], timeout=60)
        mounted.append(target)

    try:
        mount(["-t", "tmpfs", "tmpfs"], top)
        for d in ("upper", "work", "root"):
            os.makedirs(os.path.join(top, d))
        root = os.path.join(top, "root")
        mount(["-t", "overlay", "overlay", "-o", "lowerdir=/,upperdir=%s,workdir=%s" % (
            os.path.join(top, "upper"), os.path.join(top, "work"))], root)
        mount(["--bind", "/dev"], os.path.join(root, "dev"))
        mount(["-t", "proc", "proc"], os.path.join(root, "proc"))
        yield root
    finally:
        for target in reversed(mounted):
            if subprocess.run(["umount", target], capture_output=True).returncode != 0:
                subprocess.run(["umount", "-l", target], capture_output=True)


def test_package_installs_and_purges_in_a_chroot(deb, chroot):
    """dpkg -i in the chroot: its dependencies met by a Debian 12 with dpdk, the
    maintainer scripts run, the conffiles registered, the service neither enabled
    nor started; the installed binary checks the installed configuration; a purge
    leaves none of its files behind."""
    shutil.copy(deb, os.path.join(chroot, "tmp/smallsrv.deb"))

    def inside(*cmd, check=True):
        r = subprocess.run(["chroot", chroot] + list(cmd), capture_output=True, text=True,
                           timeout=300, env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
        assert not check or r.returncode == 0, "%s: exit %d\n%s\n%s" % (
            " ".join(cmd), r.returncode, r.stdout, r.stderr)
        return r

    assert inside("dpkg-query", "-W", "smallsrv", check=False).returncode != 0, \
        "smallsrv is installed on this host already: the chroot would not be clean"
    inside("dpkg", "-i", "/tmp/smallsrv.deb")
    assert inside("dpkg-query", "-W", "-f", "${Status}", "smallsrv").stdout == \
        "install ok installed"
    conffiles = inside("dpkg-query", "-W", "-f", "${Conffiles}", "smallsrv").stdout
    assert sorted(line.split()[0] for line in conffiles.strip().splitlines()) == sorted(
        ["/etc/default/smallsrv"] + ["/etc/smallsrv/" + c for c in CONFIGS])
    listed = set(inside("dpkg", "-L", "smallsrv").stdout.split())
    assert {"/" + f for f in PACKAGE_FILES} <= listed
    for unit in ("smallsrv.service", "smallsrv-setup.service", "smallsrv-exporter.service"):
        assert inside("deb-systemd-helper", "is-enabled", unit, check=False).returncode != 0
    assert not os.path.exists(os.path.join(
        chroot, "etc/systemd/system/multi-user.target.wants/smallsrv.service"))
    r = inside("/usr/sbin/smallsrv", "--", "--config", "/etc/smallsrv/smallsrv.ini",
               "--ipv4", APP_IP4 + "/24", "--check")
    assert r.stdout == "configuration ok\n", r
    r = inside("/usr/sbin/smallsrv-setup", "--dry-run")
    # The count written, or the line that it is high enough already.
    assert "/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages" in r.stdout, r
    assert "--no-pci --file-prefix smallsrv" in r.stdout, r
    inside("dpkg", "--purge", "smallsrv")
    left = [f for f in PACKAGE_FILES if os.path.lexists(os.path.join(chroot, f))]
    assert left == [] and not os.path.exists(os.path.join(chroot, "etc/smallsrv"))


def test_meson_install_into_a_prefix(work):
    """meson install with a prefix of its own: the package's files under it, the
    units naming its paths and valid to systemd-analyze verify, the installed
    smallsrv-setup reading the installed defaults."""
    build, prefix = os.path.join(work, "build"), os.path.join(work, "prefix")
    run(["meson", "setup", build, ROOT, "--prefix", prefix, "-Dtests=false"])
    run(["ninja", "-C", build])
    run(["meson", "install", "-C", build, "--no-rebuild"])
    found = sorted(os.path.relpath(os.path.join(d, f), prefix)
                   for d, _, files in os.walk(prefix) for f in files)
    want = sorted(p.replace("usr/", "").replace("share/doc/smallsrv/changelog.gz", "")
                  .replace("man8/smallsrv.8.gz", "man8/smallsrv.8")
                  for p in PACKAGE_FILES if "share/doc" not in p)
    assert found == want
    unitdir = os.path.join(prefix, "lib/systemd/system")
    units = [os.path.join(unitdir, u) for u in UNITS]
    with open(units[2]) as f:
        assert "\nExecStart=%s/sbin/smallsrv " % prefix in f.read()
    # No systemd as PID 1 here: verify is what can be checked (syntax, executables,
    # dependencies); --man=no: the page is not where man(1) looks.
    r = subprocess.run(["systemd-analyze", "verify", "--man=no"] + units,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stderr == "", r.stderr
    out = run([os.path.join(prefix, "sbin/smallsrv-setup"), "--dry-run", "--defaults",
               os.path.join(prefix, "etc/default/smallsrv")])
    assert "/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages" in out, out
    r = subprocess.run(["groff", "-man", "-ww", "-z",
                        os.path.join(prefix, "share/man/man8/smallsrv.8")],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stderr == "", r.stderr


def test_nothing_left_in_the_tree():
    """The package was built from a copy: no debian/ build output in the tree."""
    leftovers = [p for p in ("debian/smallsrv", "debian/.debhelper", "debian/files",
                             "debian/debhelper-build-stamp", "obj-x86_64-linux-gnu")
                 if os.path.exists(os.path.join(ROOT, p))]
    assert leftovers == []
    assert not [f for f in os.listdir(os.path.dirname(ROOT)) if f.startswith("smallsrv_")]
