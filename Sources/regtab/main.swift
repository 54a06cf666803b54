import Reporting
print("regtab")
