#!/usr/bin/python3
"""Sum the results of every suite test.sh ran; print "N passed, N failed" last.

A skipped test is not a passed one: skips are counted as failures and named.
"""
import glob
import json
import os
import sys
import xml.etree.ElementTree as ET


def junit_counts(path):
    """(passed, failed, skipped names) of one JUnit XML file."""
    passed, failed, skipped = 0, 0, []
    root = ET.parse(path).getroot()
    for case in root.iter("testcase"):
        name = case.get("classname", "") + "::" + case.get("name", "")
        if case.find("skipped") is not None:
            skipped.append(name)
        elif case.find("failure") is not None or case.find("error") is not None:
            failed += 1
        else:
            passed += 1
    # pytest records a collection error as an <error> outside any testcase run
    errors = int(root.get("errors", 0)) if root.tag == "testsuite" else 0
    return passed, failed, skipped, errors


def unit_counts(results):
    """cmocka cases from its XML files, plus executables that failed without one."""
    passed, failed, skipped = 0, 0, []
    for path in sorted(glob.glob(os.path.join(results, "unit-*.xml"))):
        try:
            p, f, s, _ = junit_counts(path)
        except ET.ParseError:
            f, p, s = 1, 0, []
        passed, failed, skipped = passed + p, failed + f, skipped + s
    log = os.path.join(results, "unit-testlog.json")
    if os.path.exists(log):
        with open(log) as f:
            for line in f:
                t = json.loads(line)
                if t.get("result") not in ("OK", "EXPECTEDFAIL", "SKIP"):
                    # a crash or timeout: its XML may be missing or claim success
                    failed += 1
                elif t.get("result") == "SKIP":
                    skipped.append(t.get("name", "?"))
                elif not os.path.exists(os.path.join(results, "unit-%s.xml" % t.get("name"))):
                    # cmocka names the file by the group and will not reuse one: a
                    # program without cmocka_run_group_tests_name("<its name>") finds
                    # another's there and its cases go uncounted
                    print("unit: %s wrote no unit-%s.xml (name its cmocka group)" % (
                        t.get("name"), t.get("name")))
                    failed += 1
    else:
        failed += 1
    return passed, failed, skipped


def main():
    results, suites = sys.argv[1], sys.argv[2:]
    total_p, total_f = 0, 0
    for suite in suites:
        if suite == "unit":
            p, f, s = unit_counts(results)
        else:
            path = os.path.join(results, suite + ".xml")
            if not os.path.exists(path):
                p, f, s = 0, 1, []
            else:
                p, f, s, e = junit_counts(path)
                f += e
        print(f"{suite}: {p} passed, {f} failed, {len(s)} skipped")
        for name in s:
            print(f"  skipped (counted as failed): {name}")
        total_p += p
        total_f += f + len(s)
    print(f"{total_p} passed, {total_f} failed")
    return 0 if total_f == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
