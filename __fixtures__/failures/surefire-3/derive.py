import re, sys
# Rewrites a captured Surefire 2.22 console output into the lines Surefire/Failsafe 3.5.4 print,
# following maven-surefire's source at tag surefire-3.5.4 (see notes.md of the fixtures).
src, dst, mode = sys.argv[1:4]
text = open(src).read()
lines = text.split('\n')
out = []
failing = None
for line in lines:
    m = re.match(r'^(\[(?:ERROR|INFO|WARNING)\] Tests run: .*?)(?: <<< FAILURE!)? - in (\S+)$', line)
    if m:
        failing = m.group(2)
        line = line.replace(' - in ', ' -- in ')
    m = re.match(r'^\[(ERROR)\] (.+?)  Time elapsed: (.*?)  <<< (FAILURE|ERROR)!$', line)
    if m:
        name = m.group(2)
        j4 = re.match(r'^(.+)\(([\w$.]+)\)$', name)
        if j4:
            cls, method = j4.group(2), j4.group(1)
        else:
            cls, method = failing, name
            # JUnit 5 under Surefire 3: a parameterized test keeps its legacy reporting name m(int)[1]
            method = re.sub(r'\{([^}]*)\}', r'(\1)', method)
        line = f'[{m.group(1)}] {cls}.{method} -- Time elapsed: {m.group(3)} <<< {m.group(4)}!'
    line = line.replace('maven-surefire-plugin:2.22.3:test (default-test)', 'maven-surefire-plugin:3.5.4:test (default-test)' if mode == 'surefire' else 'maven-failsafe-plugin:3.5.4:integration-test (default)')
    line = line.replace('maven-surefire-plugin:2.22.3:test', 'maven-surefire-plugin:3.5.4:test')
    out.append(line)
text = '\n'.join(out)
if mode == 'surefire':
    text = text.replace('[ERROR] Please refer to /tmp/recog-a/mvn-test/target/surefire-reports for the individual test results.\n[ERROR] Please refer to dump files (if any exist) [date].dump, [date]-jvmRun[N].dump and [date].dumpstream.',
                        '[ERROR] See /tmp/recog-a/mvn-test/target/surefire-reports for the individual test results.\n[ERROR] See dump files (if any exist) [date].dump, [date]-jvmRun[N].dump and [date].dumpstream.')
else:
    text = text.replace('OrderServiceTest', 'OrderServiceIT').replace('mvn-junit5', 'mvn-failsafe')
    # Failsafe's integration-test goal does not fail the build; its verify goal does.
    head, sep, tail = text.partition('[INFO] ------------------------------------------------------------------------\n[INFO] BUILD FAILURE')
    text = head + '[INFO] \n[INFO] --- maven-failsafe-plugin:3.5.4:verify (default) @ order-service ---\n' + sep + tail
    text = re.sub(r'\[ERROR\] Failed to execute goal .*?There are test failures\.\n\[ERROR\] \n\[ERROR\] Please refer to .*?\n\[ERROR\] Please refer to dump files.*?\n',
                  '[ERROR] Failed to execute goal org.apache.maven.plugins:maven-failsafe-plugin:3.5.4:verify (default) on project order-service: There are test failures.\n[ERROR] \n[ERROR] See /tmp/recog-a/mvn-failsafe/target/failsafe-reports for the individual test results.\n[ERROR] See dump files (if any exist) [date].dump, [date]-jvmRun[N].dump and [date].dumpstream.\n', text, flags=re.S)
open(dst, 'w').write(text)
