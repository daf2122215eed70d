"""An agency's own registers → the tables of its annual report (spec §9, ``nianbao register``).

- :mod:`.calendar`: working days on the official calendar of public holidays and adjusted working
  weekends (the ``chinesecalendar`` package, offline data);
- :mod:`.io`: reading a register (CSV or XLSX, Chinese or English headers) and writing an empty one;
- :mod:`.requests`: the request register (依申请公开台账) → table 3, due dates, the overdue list;
- :mod:`.records`: proactive-disclosure records → table 2.
"""
