"""scripts/smallsrv-setup, what smallsrv-setup.service runs, without a real NIC: the
PCI devices and the hugepage counts are a fake sysfs tree (SMALLSRV_SYSFS), the mount
table a fake /proc (SMALLSRV_PROC), and for the runs that are not dry,
dpdk-devbind.py, modprobe and mount are stubs on PATH that log their arguments (mount
adds its line to the fake table). Checked: the commands and writes for each setting
(the hugepage count raised, never lowered, a short reservation one line), the EAL
options it writes for smallsrv.service (--no-pci for no NIC), that stop gives each NIC
back to the driver it had and may run again, and that a bad setting is one line
naming it, status 2, before anything is done."""
import os
import shlex
import subprocess

import pytest

from clilib import ROOT

SETUP = os.path.join(ROOT, "scripts", "smallsrv-setup")
DEFAULTS = os.path.join(ROOT, "config", "default", "smallsrv")


@pytest.fixture
def host(tmp_path):
    """A fake sysfs (which the dpdk-devbind.py stub binds in) with 0000:01:00.0 on ixgbe, 0000:02:00.1 on vfio-pci and
    0000:03:00.0 on no driver, no 2M or 1G hugepages reserved; a /proc whose mount
    table has the default 2M hugetlbfs; a run directory; stubs that log to calls.log."""
    sysfs = tmp_path / "sys"
    for dev, drv in (("0000:01:00.0", "ixgbe"), ("0000:02:00.1", "vfio-pci"),
                     ("0000:03:00.0", None)):
        d = sysfs / "bus/pci/devices" / dev
        d.mkdir(parents=True)
        if drv:
            (sysfs / "bus/pci/drivers" / drv).mkdir(parents=True, exist_ok=True)
            (d / "driver").symlink_to("../../drivers/" + drv)
    for kb in (2048, 1048576):
        d = sysfs / ("kernel/mm/hugepages/hugepages-%dkB" % kb)
        d.mkdir(parents=True)
        (d / "nr_hugepages").write_text("0\n")
    proc = tmp_path / "proc"
    proc.mkdir()
    (proc / "mounts").write_text("sysfs /sys sysfs rw 0 0\n"
                                 "hugetlbfs /dev/hugepages hugetlbfs rw,relatime,pagesize=2M 0 0\n")
    (proc / "meminfo").write_text("HugePages_Total:       0\nHugepagesize:       2048 kB\n")
    stubs = tmp_path / "bin"
    stubs.mkdir()
    log = tmp_path / "calls.log"
    for name in ("dpdk-devbind.py", "modprobe", "mount"):
        stub = stubs / name
        stub.write_text('#!/bin/sh\necho "%s $*" >> "%s"\n' % (name, log))
        stub.chmod(0o755)
    # dpdk-devbind.py -b DRIVER DEV: the device's driver link moves, as it would.
    with open(stubs / "dpdk-devbind.py", "a") as f:
        f.write('mkdir -p "%s/$2" && ln -sfn "../../drivers/$2" "%s/$3/driver"\n'
                % (sysfs / "bus/pci/drivers", sysfs / "bus/pci/devices"))
    # mount -t hugetlbfs -o pagesize=1G nodev DIR: the line the kernel would add.
    with open(stubs / "mount", "a") as f:
        f.write('ps=${4#pagesize=}; [ "$ps" = 1G ] && ps=1024M\n'
                'echo "nodev $6 hugetlbfs rw,relatime,pagesize=$ps 0 0" >> "%s"\n'
                % (proc / "mounts"))
    env = dict(os.environ, SMALLSRV_SYSFS=str(sysfs), SMALLSRV_PROC=str(proc),
               SMALLSRV_RUNDIR=str(tmp_path / "run"),
               PATH="%s:%s" % (stubs, os.environ["PATH"]))
    return tmp_path, env, log


def run_setup(host, settings, *args):
    tmp, env, _ = host
    defaults = tmp / "defaults"
    with open(DEFAULTS) as f:
        text = f.read()  # the installed file, then the test's settings
    defaults.write_text(text + "".join("%s=%s\n" % (k, shlex.quote(v))
                                       for k, v in settings.items()))
    return subprocess.run([SETUP, "--defaults", str(defaults)] + list(args),
                          capture_output=True, text=True, timeout=30, env=env)


def plus_lines(out):
    return [line[2:] for line in out.splitlines() if line.startswith("+ ")]


def nr(host, kb, node=None):
    """The fake sysfs's count of kb-sized hugepages: the host's, or one node's."""
    where = "devices/system/node/node%d/" % node if node is not None else "kernel/mm/"
    return host[0] / "sys" / where / ("hugepages/hugepages-%dkB/nr_hugepages" % kb)


def test_dry_run_of_the_installed_defaults(host):
    """No NIC named: 1G of 2M pages (512) written to the host's count, the default
    2M hugetlbfs mounted already; the EAL options: cores, --no-pci, file prefix."""
    r = run_setup(host, {}, "--dry-run")
    assert r.returncode == 0 and r.stderr == "", r
    run = str(host[0] / "run")
    assert plus_lines(r.stdout) == [
        "echo 512 > %s" % nr(host, 2048),
        "echo 'SMALLSRV_EAL=\"-l 0-1 --no-pci --file-prefix smallsrv\"' > %s/eal.env" % run]
    assert nr(host, 2048).read_text() == "0\n"
    assert not os.path.exists(run), "a dry run made the run directory"


def test_dry_run_binds_each_nic_once_in_port_order(host):
    r = run_setup(host, {"SMALLSRV_PCI": "01:00.0 0000:02:00.1 0000:03:00.0",
                     "SMALLSRV_HUGEPAGE_SIZE": "1G", "SMALLSRV_HUGEPAGES": "4G",
                     "SMALLSRV_LCORES": "2-5", "SMALLSRV_EAL_ARGS": "--log-level pmd:debug"},
              "--dry-run", "start")
    assert r.returncode == 0 and r.stderr == "", r
    run = str(host[0] / "run")
    assert plus_lines(r.stdout) == [
        "echo 4 > %s" % nr(host, 1048576),
        "mount -t hugetlbfs -o pagesize=1G nodev %s/hugepages-1G" % run,
        "modprobe vfio-pci",
        "echo ixgbe > %s/0000:01:00.0.driver" % run,
        "dpdk-devbind.py -b vfio-pci 0000:01:00.0",
        "dpdk-devbind.py -b vfio-pci 0000:03:00.0",
        "echo 'SMALLSRV_EAL=\"-l 2-5 -a 0000:01:00.0 -a 0000:02:00.1 -a 0000:03:00.0 "
        "--file-prefix smallsrv --log-level pmd:debug\"' > %s/eal.env" % run]
    assert "0000:02:00.1: on vfio-pci already" in r.stdout
    assert not os.path.exists(run) and not os.path.exists(host[2])


def test_keep_and_no_hugepages(host):
    """keep: the NICs stay on their driver (mlx5) but are still given to EAL;
    hugepages 0: reserved elsewhere (kernel command line)."""
    r = run_setup(host, {"SMALLSRV_PCI": "0000:01:00.0", "SMALLSRV_DRIVER": "keep",
                     "SMALLSRV_HUGEPAGES": "0"}, "--dry-run")
    assert r.returncode == 0, r
    assert plus_lines(r.stdout) == [
        "echo 'SMALLSRV_EAL=\"-l 0-1 -a 0000:01:00.0 --file-prefix smallsrv\"' > %s/eal.env"
        % (host[0] / "run")]


def test_start_then_stop(host):
    """For real, against the stubs: start binds and records the driver it took the
    NIC from, writes eal.env; stop gives the NIC back and removes both."""
    tmp, _, log = host
    run = tmp / "run"
    r = run_setup(host, {"SMALLSRV_PCI": "0000:01:00.0 0000:02:00.1"}, "start")
    assert r.returncode == 0 and r.stderr == "", r
    assert log.read_text().splitlines() == [
        "modprobe vfio-pci", "dpdk-devbind.py -b vfio-pci 0000:01:00.0"]
    assert nr(host, 2048).read_text() == "512\n"
    assert (run / "0000:01:00.0.driver").read_text() == "ixgbe\n"
    assert sorted(os.listdir(run)) == ["0000:01:00.0.driver", "eal.env"]
    assert (run / "eal.env").read_text() == \
        'SMALLSRV_EAL="-l 0-1 -a 0000:01:00.0 -a 0000:02:00.1 --file-prefix smallsrv"\n'
    log.unlink()
    r = run_setup(host, {"SMALLSRV_PCI": "0000:01:00.0 0000:02:00.1"}, "stop")
    assert r.returncode == 0 and r.stderr == "", r
    assert log.read_text().splitlines() == ["dpdk-devbind.py -b ixgbe 0000:01:00.0"]
    assert os.listdir(run) == []
    assert nr(host, 2048).read_text() == "512\n", "stop gave hugepages back"


def test_a_failing_command_stops_it(host):
    tmp, env, _ = host
    (tmp / "bin" / "dpdk-devbind.py").write_text("#!/bin/sh\nexit 1\n")
    r = run_setup(host, {"SMALLSRV_PCI": "0000:01:00.0"}, "start")
    assert r.returncode == 1, r
    assert r.stderr == "smallsrv-setup: failed: dpdk-devbind.py -b vfio-pci 0000:01:00.0\n"
    assert not (tmp / "run" / "eal.env").exists()


def test_a_missing_device_is_named(host):
    r = run_setup(host, {"SMALLSRV_PCI": "0000:09:00.0"}, "--dry-run")
    assert r.returncode == 1, r
    assert r.stderr == "smallsrv-setup: no PCI device 0000:09:00.0 (SMALLSRV_PCI)\n"


@pytest.mark.parametrize("var,value", [
    ("SMALLSRV_PCI", "0000:01:00"), ("SMALLSRV_PCI", "01:00.0 eth0"),
    ("SMALLSRV_DRIVER", "vfio pci"), ("SMALLSRV_HUGEPAGE_SIZE", "2"),
    ("SMALLSRV_HUGEPAGES", "lots"), ("SMALLSRV_LCORES", "all"),
    ("SMALLSRV_PCI", "*"),  # not globbed: the files of the current directory
    ("SMALLSRV_EAL_ARGS", "--vdev 'net_tap0,iface=x'"),
    ("SMALLSRV_EAL_ARGS", "--log-level 8 -- --qotd"),
    ("SMALLSRV_EAL_ARGS", "--file-prefix other"), ("SMALLSRV_EAL_ARGS", "--file-prefix=x")])
def test_a_bad_setting_is_one_line_before_anything_runs(host, var, value):
    r = run_setup(host, {var: value}, "start")
    assert r.returncode == 2 and r.stdout == "", r
    bad = value.split()[-1] if var == "SMALLSRV_PCI" else value
    assert r.stderr.splitlines() == [
        'smallsrv-setup: %s: %s = "%s": %s' % (host[0] / "defaults", var, bad,
                                               r.stderr.split(": ")[-1].strip())], r
    assert not os.path.exists(host[2]), "a command ran before the setting was checked"


@pytest.mark.parametrize("args", [["restart"], ["--defaults"], ["--bogus"]])
def test_bad_arguments(host, args):
    r = subprocess.run([SETUP] + args, capture_output=True, text=True, timeout=30,
                       env=host[1])
    assert r.returncode == 2 and "smallsrv-setup [--dry-run]" in r.stderr, r


def test_a_count_already_high_enough_is_left_alone(host):
    """2048 2M pages reserved (by someone else): more than 1G, nothing written, and
    the 1G pages reserved at boot for a VM not touched either."""
    nr(host, 2048).write_text("2048\n")
    nr(host, 1048576).write_text("8\n")
    r = run_setup(host, {}, "start")
    assert r.returncode == 0 and r.stderr == "", r
    assert "%s: 2048 reserved already, 512 wanted" % nr(host, 2048) in r.stdout
    assert nr(host, 2048).read_text() == "2048\n"
    assert nr(host, 1048576).read_text() == "8\n"
    assert not os.path.exists(host[2]), "mounted again"


def test_a_lower_count_is_raised_to_the_total_not_added_to(host):
    """100 reserved, 1G wanted: the count becomes 512 (in total, not 612)."""
    nr(host, 2048).write_text("100\n")
    r = run_setup(host, {}, "--dry-run")
    assert r.returncode == 0, r
    assert plus_lines(r.stdout)[0] == "echo 512 > %s" % nr(host, 2048)


def test_on_the_nics_numa_node(host):
    """The first NIC on node 1, 2 of the host's 3 1G pages there: node 1's count is
    raised by what the total lacks (4G: 1 more), the host's not written."""
    tmp = host[0]
    (tmp / "sys/bus/pci/devices/0000:01:00.0/numa_node").write_text("1\n")
    for node, n in ((0, 1), (1, 2)):
        nr(host, 1048576, node).parent.mkdir(parents=True)
        nr(host, 1048576, node).write_text("%d\n" % n)
    nr(host, 1048576).write_text("3\n")
    r = run_setup(host, {"SMALLSRV_PCI": "0000:01:00.0", "SMALLSRV_HUGEPAGE_SIZE": "1G",
                         "SMALLSRV_HUGEPAGES": "4G"}, "start")
    assert r.returncode == 0 and r.stderr == "", r
    assert nr(host, 1048576, 1).read_text() == "3\n"
    assert nr(host, 1048576, 0).read_text() == "1\n"
    assert nr(host, 1048576).read_text() == "3\n"
    assert "+ echo 3 > %s" % nr(host, 1048576, 1) in r.stdout
    assert log_lines(host)[0] == "mount -t hugetlbfs -o pagesize=1G nodev %s/hugepages-1G" % (
        tmp / "run")


def test_no_numa_node_is_the_hosts_count(host):
    (host[0] / "sys/bus/pci/devices/0000:01:00.0/numa_node").write_text("-1\n")
    r = run_setup(host, {"SMALLSRV_PCI": "0000:01:00.0"}, "--dry-run")
    assert r.returncode == 0, r
    assert plus_lines(r.stdout)[0] == "echo 512 > %s" % nr(host, 2048)


def log_lines(host):
    return host[2].read_text().splitlines() if host[2].exists() else []


def test_a_short_reservation_is_one_line_and_nothing_more(host):
    """The kernel gives fewer pages than written (here none: the count reads back
    empty): one line, status 1, no NIC bound, no eal.env."""
    f = nr(host, 2048)
    f.unlink()
    f.symlink_to("/dev/null")
    r = run_setup(host, {"SMALLSRV_PCI": "0000:01:00.0"}, "start")
    assert r.returncode == 1, r
    assert r.stderr == ("smallsrv-setup: only 0 of 512 2M hugepages in %s "
                        "(SMALLSRV_HUGEPAGES=1G): not enough free memory\n" % f), r
    assert log_lines(host) == []
    assert not (host[0] / "run" / "eal.env").exists()


def test_a_page_size_the_kernel_lacks(host):
    r = run_setup(host, {"SMALLSRV_HUGEPAGE_SIZE": "16M"}, "start")
    assert r.returncode == 1, r
    assert r.stderr.startswith("smallsrv-setup: no 16M hugepages in this kernel"), r


def test_a_mount_that_did_not_take_is_an_error(host):
    (host[0] / "bin" / "mount").write_text("#!/bin/sh\nexit 0\n")
    r = run_setup(host, {"SMALLSRV_HUGEPAGE_SIZE": "1G"}, "start")
    assert r.returncode == 1, r
    assert r.stderr == ("smallsrv-setup: mounted %s/hugepages-1G, but no hugetlbfs of 1G "
                        "pages in %s/mounts\n" % (host[0] / "run", host[0] / "proc")), r


@pytest.mark.parametrize("pci,args,eal", [
    ("", "--vdev net_tap0,iface=ss0", "--no-pci --file-prefix smallsrv --vdev net_tap0,iface=ss0"),
    ("", "-a 0000:05:00.0", "--file-prefix smallsrv -a 0000:05:00.0"),
    ("", "--allow=0000:05:00.0", "--file-prefix smallsrv --allow=0000:05:00.0"),
    ("", "-b 0000:05:00.0", "--file-prefix smallsrv -b 0000:05:00.0"),
    ("", "--no-pci", "--file-prefix smallsrv --no-pci"),
    ("0000:02:00.1", "--vdev net_tap0", "-a 0000:02:00.1 --file-prefix smallsrv --vdev net_tap0")])
def test_no_pci_when_no_nic_is_named(host, pci, args, eal):
    """No NIC: --no-pci, so that EAL takes none of the host's DPDK-bound NICs (a
    vdev still works), unless SMALLSRV_EAL_ARGS chooses the PCI devices itself."""
    r = run_setup(host, {"SMALLSRV_PCI": pci, "SMALLSRV_EAL_ARGS": args}, "--dry-run")
    assert r.returncode == 0, r
    assert plus_lines(r.stdout)[-1] == "echo 'SMALLSRV_EAL=\"-l 0-1 %s\"' > %s/eal.env" % (
        eal, host[0] / "run")


def test_stop_again_and_with_nothing_bound(host):
    """stop without a start (no run directory), twice after a start, and with a NIC
    already back on its driver (a stop that failed halfway): nothing run twice."""
    tmp = host[0]
    r = run_setup(host, {}, "stop")
    assert r.returncode == 0 and r.stdout == "" and r.stderr == "", r
    assert log_lines(host) == []
    r = run_setup(host, {"SMALLSRV_PCI": "0000:01:00.0"}, "start")
    assert r.returncode == 0, r
    host[2].unlink()
    for _ in range(2):
        r = run_setup(host, {"SMALLSRV_PCI": "0000:01:00.0"}, "stop")
        assert r.returncode == 0 and r.stderr == "", r
    assert log_lines(host) == ["dpdk-devbind.py -b ixgbe 0000:01:00.0"]
    assert os.listdir(tmp / "run") == []
    (tmp / "run" / "0000:01:00.0.driver").write_text("ixgbe\n")  # on ixgbe (fake sysfs)
    host[2].unlink()
    r = run_setup(host, {}, "stop")
    assert r.returncode == 0 and r.stderr == "", r
    assert "0000:01:00.0: on ixgbe already" in r.stdout
    assert log_lines(host) == [] and os.listdir(tmp / "run") == []
