"""scripts/smallsrv-setup, what smallsrv-setup.service runs, without a real NIC: the
PCI devices are a fake sysfs tree (SMALLSRV_SYSFS), and for the runs that are not
dry, dpdk-hugepages.py, dpdk-devbind.py and modprobe are stubs on PATH that log
their arguments. Checked: the commands for each setting, the EAL options it writes
for smallsrv.service, that stop gives each NIC back to the driver it had, and that a
bad setting is one line naming it, status 2, before anything is done."""
import os
import shlex
import subprocess

import pytest

from clilib import ROOT

SETUP = os.path.join(ROOT, "scripts", "smallsrv-setup")
DEFAULTS = os.path.join(ROOT, "config", "default", "smallsrv")


@pytest.fixture
def host(tmp_path):
    """A fake sysfs with 0000:01:00.0 on ixgbe, 0000:02:00.1 on vfio-pci and
    0000:03:00.0 on no driver; a run directory; stubs that log to calls.log."""
    sysfs = tmp_path / "sys"
    for dev, drv in (("0000:01:00.0", "ixgbe"), ("0000:02:00.1", "vfio-pci"),
                     ("0000:03:00.0", None)):
        d = sysfs / "bus/pci/devices" / dev
        d.mkdir(parents=True)
        if drv:
            (sysfs / "bus/pci/drivers" / drv).mkdir(parents=True, exist_ok=True)
            (d / "driver").symlink_to("../../drivers/" + drv)
    stubs = tmp_path / "bin"
    stubs.mkdir()
    log = tmp_path / "calls.log"
    for name in ("dpdk-hugepages.py", "dpdk-devbind.py", "modprobe"):
        stub = stubs / name
        stub.write_text('#!/bin/sh\necho "%s $*" >> "%s"\n' % (name, log))
        stub.chmod(0o755)
    env = dict(os.environ, SMALLSRV_SYSFS=str(sysfs), SMALLSRV_RUNDIR=str(tmp_path / "run"),
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


def test_dry_run_of_the_installed_defaults(host):
    """No NIC named: hugepages and the EAL options (cores, file prefix) only."""
    r = run_setup(host, {}, "--dry-run")
    assert r.returncode == 0 and r.stderr == "", r
    run = str(host[0] / "run")
    assert plus_lines(r.stdout) == [
        "dpdk-hugepages.py -p 2M --setup 1G",
        "echo 'SMALLSRV_EAL=\"-l 0-1 --file-prefix smallsrv\"' > %s/eal.env" % run]
    assert not os.path.exists(run), "a dry run made the run directory"


def test_dry_run_binds_each_nic_once_in_port_order(host):
    r = run_setup(host, {"SMALLSRV_PCI": "01:00.0 0000:02:00.1 0000:03:00.0",
                     "SMALLSRV_HUGEPAGE_SIZE": "1G", "SMALLSRV_HUGEPAGES": "4G",
                     "SMALLSRV_LCORES": "2-5", "SMALLSRV_EAL_ARGS": "--log-level pmd:debug"},
              "--dry-run", "start")
    assert r.returncode == 0 and r.stderr == "", r
    run = str(host[0] / "run")
    assert plus_lines(r.stdout) == [
        "dpdk-hugepages.py -p 1G --setup 4G",
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
        "dpdk-hugepages.py -p 2M --setup 1G", "modprobe vfio-pci",
        "dpdk-devbind.py -b vfio-pci 0000:01:00.0"]
    assert (run / "0000:01:00.0.driver").read_text() == "ixgbe\n"
    assert sorted(os.listdir(run)) == ["0000:01:00.0.driver", "eal.env"]
    assert (run / "eal.env").read_text() == \
        'SMALLSRV_EAL="-l 0-1 -a 0000:01:00.0 -a 0000:02:00.1 --file-prefix smallsrv"\n'
    log.unlink()
    r = run_setup(host, {"SMALLSRV_PCI": "0000:01:00.0 0000:02:00.1"}, "stop")
    assert r.returncode == 0 and r.stderr == "", r
    assert log.read_text().splitlines() == ["dpdk-devbind.py -b ixgbe 0000:01:00.0"]
    assert os.listdir(run) == []


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
    ("SMALLSRV_EAL_ARGS", "--vdev 'net_tap0,iface=x'")])
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
