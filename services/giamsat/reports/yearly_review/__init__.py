"""The yearly review of the programme (đánh giá kết quả thực hiện Chương trình phối hợp hằng
năm, seed programme IV.2): per unit and year a draft prefilled with the year's figures beside
the previous year's and the plan's, narrative sections the province sets as data, submitted
and rolled up to the parent like reports, exported in the document layout.

Figures and text only: nothing here reads or shows a reporter.
"""
