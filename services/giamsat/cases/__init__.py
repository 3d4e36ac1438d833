"""Cases: people's information (phản ánh, kiến nghị, tố cáo, phát giác), its handling and the
protection of the people who report it."""
